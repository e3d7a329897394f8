/*
 * dict_random - the "randmap" table type: every lookup returns one of the listed values,
 * chosen at random: "randmap:{value1, value2, ...}".
 * Counterpart: postfix/src/util/dict_random.c.
 */
import { randomInt } from 'node:crypto';
import { CHARS_BRACE, CHARS_COMMA_SP, balpar, splitQuoted } from './stringops.js';
import { Dict, DICT_ERR_NONE, DICT_FLAG_PATTERN, DICT_FLAG_SRC_RHS_IS_FILE, DICT_OWNER_TRUSTED, O_RDONLY, dictDebug, dictSurrogate } from './dict.js';
import { dictFileToB64 } from './dict_file.js';

class DictRandom extends Dict {
  replies: string[] = [];

  override async lookup(): Promise<string | null> {
    return this.result(DICT_ERR_NONE, this.replies[randomInt(this.replies.length)]!);
  }
}

/** Postfix: dict_random_open(). */
export async function dictRandomOpen(name: string, openFlags: number, dictFlags: number): Promise<Dict> {
  const fail = (why: string) => dictSurrogate('randmap', name, openFlags, dictFlags, why);
  if (openFlags !== O_RDONLY) return fail(`randmap:${name} map requires O_RDONLY access mode`);
  const dict = new DictRandom('randmap', name);
  dict.flags = dictFlags | DICT_FLAG_PATTERN;
  dict.owner = { status: DICT_OWNER_TRUSTED, uid: 0 };
  const len = balpar(name, CHARS_BRACE);
  const syntax = `bad syntax: "randmap:${name}"; need "randmap:{value...}"`;
  if (len === 0 || len !== name.length || len === 2) return fail(syntax);
  for (const word of splitQuoted(name.slice(1, -1), CHARS_COMMA_SP, CHARS_BRACE)) {
    if (dict.flags & DICT_FLAG_SRC_RHS_IS_FILE) {
      const b64 = dictFileToB64(dict, word);
      if (b64 === null) return fail(dict.fileError);
      dict.replies.push(b64);
    } else {
      dict.replies.push(word);
    }
  }
  if (dict.replies.length === 0) return fail(syntax);
  return dictDebug(dict);
}
