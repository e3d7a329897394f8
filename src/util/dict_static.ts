/*
 * dict_static - the "static" table type: every key has the same value, the table name.
 * Counterpart: postfix/src/util/dict_static.c. "static:{ text }" may hold white space.
 */
import { CHARS_BRACE, extpar } from './stringops.js';
import { Dict, DICT_ERR_NONE, DICT_FLAG_FIXED, DICT_FLAG_SRC_RHS_IS_FILE, DICT_OWNER_TRUSTED, dictDebug, dictSurrogate } from './dict.js';
import { dictFileToB64 } from './dict_file.js';

class DictStatic extends Dict {
  value = '';

  override async lookup(): Promise<string | null> {
    return this.result(DICT_ERR_NONE, this.value);
  }
}

/** Postfix: dict_static_open(). */
export async function dictStaticOpen(name: string, openFlags: number, dictFlags: number): Promise<Dict> {
  let value = name;
  if (name[0] === CHARS_BRACE[0]) {
    const inner = extpar(name, CHARS_BRACE, true);
    if (inner.err !== undefined) return dictSurrogate('static', name, openFlags, dictFlags, `bad static:name syntax: ${inner.err}`);
    value = inner.text;
  }
  const dict = new DictStatic('static', name);
  dict.flags = dictFlags | DICT_FLAG_FIXED;
  dict.owner = { status: DICT_OWNER_TRUSTED, uid: dict.owner.uid };
  if (dictFlags & DICT_FLAG_SRC_RHS_IS_FILE) {
    const b64 = dictFileToB64(dict, value);
    if (b64 === null) return dictSurrogate('static', name, openFlags, dictFlags, dict.fileError);
    value = b64;
  }
  dict.value = value;
  return dictDebug(dict);
}
