/*
 * match_list - a list of patterns ("a, !b, /file/name, type:table") matched against one or
 * more strings: the first pattern that matches decides, "!" inverts it.
 * Counterpart: postfix/src/util/match_list.c and match_string() of match_ops.c (string
 * lists; the host and address matchers of match_ops.c are not here yet). Patterns are
 * case-folded when the list is made, strings when they are matched; tables are opened
 * then and registered by "type:name(flags)", as Postfix does.
 */
import { readFileSync } from 'node:fs';
import { msg } from './msg.js';
import { percentM, errnoOf } from './strerror.js';
import { casefold } from './casefold.js';
import { CHARS_BRACE, CHARS_COMMA_SP, splitQuoted } from './stringops.js';
import {
  type Dict, DICT_FLAG_LOCK, DICT_FLAG_UTF8_REQUEST, DICT_TYPE_NOFILE, O_RDONLY, dictFlagsStr, dictHandle, dictRegister,
  dictSurrogate,
} from './dict.js';
import { dictOpen } from './dict_open.js';

/* Postfix: MATCH_FLAG_*. */
export const MATCH_FLAG_NONE = 0;
export const MATCH_FLAG_PARENT = 1 << 0;
export const MATCH_FLAG_RETURN = 1 << 1;

/** One match function: true on a match; on a table error it sets list.error and warns. */
export type MatchFn = (list: MatchList, string: string, pattern: string) => Promise<boolean>;

const OPEN_FLAGS = O_RDONLY;
const DICT_FLAGS = DICT_FLAG_LOCK | DICT_FLAG_UTF8_REQUEST;

/** Postfix: MATCH_DICTIONARY(). */
export const isMatchDictionary = (pattern: string) => pattern[0] !== '[' && pattern.includes(':');

export class MatchList {
  /** Postfix: list->error, the dict error of the last failed table lookup. */
  error = 0;
  patterns: string[] = [];

  private constructor(readonly pname: string, readonly flags: number, readonly matchFns: MatchFn[]) {}

  /** Postfix: match_list_init(). */
  static async create(pname: string, flags: number, patterns: string, matchFns: MatchFn[]): Promise<MatchList> {
    const list = new MatchList(pname, flags, matchFns);
    await list.parse(patterns, true);
    return list;
  }

  /** Postfix: match_list_parse(). */
  private async parse(text: string, initMatch: boolean): Promise<void> {
    for (const start of splitQuoted(text, CHARS_COMMA_SP, CHARS_BRACE)) {
      if (start.startsWith('#')) {
        const rest = text.slice(text.indexOf(start) + start.length).replace(/^[, \t\r\n]+/, '');
        msg.warn(`${this.pname}: comment at end of line is not supported: ${start} ${rest}`);
        break;
      }
      let match = initMatch;
      let item = start;
      while (item.startsWith('!')) {
        item = item.slice(1);
        match = !match;
      }
      if (item === '') msg.fatal(`${this.pname}: no pattern after '!'`);
      if (item.startsWith('/')) {
        let content: string;
        try {
          content = readFileSync(item, 'latin1');
        } catch (err) {
          // An unusable file becomes a table whose every lookup fails, with a warning.
          const name = `${DICT_TYPE_NOFILE}:${item}`;
          if (dictHandle(name) === undefined) {
            dictRegister(name, dictSurrogate(DICT_TYPE_NOFILE, item, OPEN_FLAGS, DICT_FLAGS,
              `open file ${item}: ${percentM(errnoOf(err) ?? 0)}`));
          }
          this.patterns.push(name);
          continue;
        }
        for (const line of content.split(/(?<=\n)/)) {
          if (!line.startsWith('#')) await this.parse(line, match);
        }
      } else if (isMatchDictionary(item)) {
        const withFlags = `${item}(${OPEN_FLAGS.toString(8)},${dictFlagsStr(DICT_FLAGS)})`;
        if (dictHandle(withFlags) === undefined) dictRegister(withFlags, await dictOpen(item, OPEN_FLAGS, DICT_FLAGS));
        this.patterns.push(match ? withFlags : `!${withFlags}`);
      } else {
        this.patterns.push(casefold(match ? item : `!${item}`));
      }
    }
  }

  /** Postfix: match_list_match(): one string per match function. */
  async match(...strings: string[]): Promise<boolean> {
    this.error = 0;
    for (let pat of this.patterns) {
      let match = true;
      while (pat.startsWith('!')) {
        pat = pat.slice(1);
        match = !match;
      }
      for (const [i, fn] of this.matchFns.entries()) {
        if (await fn(this, casefold(strings[i]!), pat)) return match;
        if (this.error !== 0) return false;
      }
    }
    if (msg.verbose) for (const s of strings) msg.info(`match_list_match: ${s}: no match`);
    return false;
  }

  /** Postfix: match_error(): warn (MATCH_FLAG_RETURN) or die. Returns false. */
  matchError(text: string): false {
    if (this.flags & MATCH_FLAG_RETURN) msg.warn(`${this.pname}: ${text}`);
    else msg.fatal(`${this.pname}: ${text}`);
    return false;
  }
}

/** Postfix: match_string(): a table lookup, or an exact (case-folded) comparison. */
export async function matchString(list: MatchList, string: string, pattern: string): Promise<boolean> {
  if (msg.verbose) msg.info(`match_string: ${list.pname}: ${string} ~? ${pattern}`);
  if (isMatchDictionary(pattern)) {
    const dict: Dict = dictHandle(pattern) ?? msg.panic(`match_string: unknown dictionary: ${pattern}`);
    if (await dict.lookup(string) !== null) return true;
    list.error = dict.error;
    if (list.error !== 0) return list.matchError(`${dict.type}:${dict.name}: table lookup problem`);
    return false;
  }
  return string === pattern;
}
