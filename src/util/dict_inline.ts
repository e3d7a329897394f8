/*
 * dict_inline - the "inline" table type: "inline:{ key = value, { key = text } ... }".
 * Counterpart: postfix/src/util/dict_inline.c. The entries go into an "internal"
 * table opened with the same flags, so keys fold as an internal table folds them; a
 * later duplicate key silently replaces an earlier one.
 */
import { utilUtf8Enable } from './printable.js';
import { CHARS_BRACE, CHARS_COMMA_SP, allAscii, balpar, extpar, splitQnameval, splitQuoted, validUtf8String } from './stringops.js';
import { type Dict, DICT_FLAG_SRC_RHS_IS_FILE, DICT_FLAG_UTF8_MASK, DICT_OWNER_TRUSTED, O_RDONLY, dictDebug, dictSurrogate, dictTypeOverride } from './dict.js';
import { dictFileToB64 } from './dict_file.js';
import { dictOpen3 } from './dict_open.js';

/** Postfix: dict_inline_open(). */
export async function dictInlineOpen(name: string, openFlags: number, dictFlags: number): Promise<Dict> {
  const fail = (why: string) => dictSurrogate('inline', name, openFlags, dictFlags, why);
  if (openFlags !== O_RDONLY) return fail(`inline:${name} map requires O_RDONLY access mode`);
  if (utilUtf8Enable && (dictFlags & DICT_FLAG_UTF8_MASK) && !allAscii(name) && !validUtf8String(name)) {
    return fail(`bad UTF-8 syntax: "inline:${name}"; need "inline:{name=value...}"`);
  }
  const len = balpar(name, CHARS_BRACE);
  if (len === 0 || len !== name.length || len === 2) {
    return fail(`bad syntax: "inline:${name}"; need "inline:{name=value...}"`);
  }
  const dict = await dictOpen3('internal', name, openFlags, dictFlags);
  dictTypeOverride(dict, 'inline');
  let err: string | undefined;
  let count = 0;
  for (let nameval of splitQuoted(name.slice(1, -1), CHARS_COMMA_SP, CHARS_BRACE)) {
    if (nameval[0] === CHARS_BRACE[0]) {
      const inner = extpar(nameval, CHARS_BRACE, true);
      nameval = inner.text;
      err = inner.err;
    }
    const pair = err === undefined ? splitQnameval(nameval) : err;
    if (typeof pair === 'string') {
      err = pair;
      break;
    }
    let value = pair.value;
    if (dict.flags & DICT_FLAG_SRC_RHS_IS_FILE) {
      const b64 = dictFileToB64(dict, value);
      if (b64 === null) {
        err = dict.fileError;
        break;
      }
      value = b64;
    }
    await dict.update(pair.key, value);
    count++;
  }
  if (err !== undefined || count === 0) {
    await dict.close();
    const what = dictFlags & DICT_FLAG_SRC_RHS_IS_FILE ? 'filename' : 'value';
    return fail(`${err ?? 'empty table'}: "inline:${name}"; need "inline:{name=${what}...}"`);
  }
  dict.owner = { status: DICT_OWNER_TRUSTED, uid: dict.owner.uid };
  return dictDebug(dict);
}
