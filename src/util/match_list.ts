/*
 * match_list - match a name against a list of patterns: literal strings, host or domain
 * names (with parent domains), /file/name lists and type:table lookups, "!" to negate;
 * the first pattern that matches decides.
 * Counterpart: postfix/src/util/match_list.c with match_string() and match_hostname() of
 * match_ops.c. XXX No address (CIDR) matching yet. A /file that cannot be opened becomes
 * a table whose lookups fail (fatal at once where tables must open: dictSurrogate()).
 */
import { readFileSync } from 'node:fs';
import { casefoldUtf8 } from './casefold.js';
import {
  DICT_FLAG_FIXED, DICT_FLAG_LOCK, DICT_FLAG_UTF8_REQUEST, DICT_TYPE_NOFILE, O_RDONLY, type Dict, dictSurrogate,
} from './dict.js';
import { dictOpen } from './dict_open.js';
import { msg } from './msg.js';
import { utilUtf8Enable } from './printable.js';
import { strerror } from './strerror.js';
import { lowercase, splitQuoted } from './stringops.js';

export const MATCH_FLAG_NONE = 0;
/** A pattern "example.com" also matches its subdomains. */
export const MATCH_FLAG_PARENT = 1 << 0;
/** A table lookup error is a warning (and no match), not fatal. */
export const MATCH_FLAG_RETURN = 1 << 1;
export const MATCH_FLAG_ALL = MATCH_FLAG_PARENT | MATCH_FLAG_RETURN;

export type MatchFn = (list: MatchList, name: string, pattern: string) => Promise<boolean>;

export interface MatchList {
  pname: string;
  flags: number;
  /** Casefolded patterns, "!" prefixes kept; tables by their pattern text. */
  patterns: string[];
  tables: Map<string, Dict>;
  funcs: MatchFn[];
  /** Nonzero after a table lookup problem in the last match. */
  error: number;
}

/** Postfix: MATCH_DICTIONARY(). */
const isTable = (pattern: string) => pattern[0] !== '[' && pattern.includes(':');

const fold = (text: string) => (utilUtf8Enable ? casefoldUtf8(text) : lowercase(text));

/* Postfix: match_list_parse(). */
async function parse(list: MatchList, text: string, initMatch: boolean): Promise<void> {
  for (const start of splitQuoted(text)) {
    if (start[0] === '#') {
      const rest = text.slice(text.indexOf(start) + start.length).replace(/^[, \t\r\n]+/, '');
      msg.warn(`${list.pname}: comment at end of line is not supported: ${start} ${rest}`);
      break;
    }
    let match = initMatch;
    let item = start;
    while (item[0] === '!') {
      match = !match;
      item = item.slice(1);
    }
    if (item === '') msg.fatal(`${list.pname}: no pattern after '!'`);
    if (item[0] === '/') {
      let body: string;
      try {
        body = readFileSync(item, 'latin1');
      } catch (err) {
        // Replaced by a table whose lookups fail (where tables may fail to open at all).
        const name = `${DICT_TYPE_NOFILE}:${item}`;
        if (!list.tables.has(name)) {
          list.tables.set(name, dictSurrogate(DICT_TYPE_NOFILE, item, O_RDONLY, DICT_FLAG_LOCK | DICT_FLAG_UTF8_REQUEST,
            `open file ${item}: ${strerror(err)}`));
        }
        list.patterns.push(match ? name : `!${name}`);
        continue;
      }
      for (const line of body.split('\n')) if (line[0] !== '#') await parse(list, line, match);
    } else if (isTable(item)) {
      if (!list.tables.has(item)) list.tables.set(item, await dictOpen(item, 0, DICT_FLAG_LOCK | DICT_FLAG_UTF8_REQUEST));
      list.patterns.push(match ? item : `!${item}`);
    } else {
      list.patterns.push(fold(match ? item : `!${item}`));
    }
  }
}

/** Postfix: match_list_init(). */
export async function matchListInit(pname: string, flags: number, patterns: string, funcs: MatchFn[]): Promise<MatchList> {
  if (flags & ~MATCH_FLAG_ALL) msg.panic(`match_list_init: bad flags 0x${flags.toString(16)}`);
  const list: MatchList = { pname, flags, patterns: [], tables: new Map(), funcs, error: 0 };
  await parse(list, patterns, true);
  return list;
}

/** Postfix: match_list_match(). One argument per match function. */
export async function matchListMatch(list: MatchList, ...args: string[]): Promise<boolean> {
  list.error = 0;
  for (let pat of list.patterns) {
    let match = true;
    while (pat[0] === '!') {
      match = !match;
      pat = pat.slice(1);
    }
    for (let i = 0; i < list.funcs.length; i++) {
      if (await list.funcs[i]!(list, fold(args[i] ?? ''), pat)) return match;
      if (list.error !== 0) return false;
    }
  }
  if (msg.verbose) for (const arg of args) msg.info(`match_list_match: ${arg}: no match`);
  return false;
}

function matchError(list: MatchList, text: string): false {
  if (list.flags & MATCH_FLAG_RETURN) msg.warn(`${list.pname}: ${text}`);
  else msg.fatal(`${list.pname}: ${text}`);
  return false;
}

/** Postfix: match_string(). */
export async function matchString(list: MatchList, name: string, pattern: string): Promise<boolean> {
  if (msg.verbose) msg.info(`match_string: ${list.pname}: ${name} ~? ${pattern}`);
  if (isTable(pattern)) {
    const dict = list.tables.get(pattern) ?? msg.panic(`match_string: unknown dictionary: ${pattern}`);
    if ((await dict.lookup(name)) !== null) return true;
    if ((list.error = dict.error) !== 0) return matchError(list, `${dict.type}:${dict.name}: table lookup problem`);
    return false;
  }
  return name === pattern;
}

/** Postfix: match_hostname(). Tables are asked for the name and, if fixed-key, its parents. */
export async function matchHostname(list: MatchList, name: string, pattern: string): Promise<boolean> {
  const myname = 'match_hostname';
  if (msg.verbose) msg.info(`${myname}: ${list.pname}: ${name} ~? ${pattern}`);
  if (isTable(pattern)) {
    const dict = list.tables.get(pattern) ?? msg.panic(`${myname}: unknown dictionary: ${pattern}`);
    for (let pos = 0; pos < name.length;) {
      const entry = name.slice(pos);
      if (pos === 0 || dict.flags & DICT_FLAG_FIXED) {
        const found = (await dict.lookup(entry)) !== null;
        if (msg.verbose > 1) msg.info(`${myname}: ${list.pname}: lookup ${dict.type}:${dict.name} ${entry}: ${found ? 'found' : 'notfound'}`);
        if (found) return true;
        if ((list.error = dict.error) !== 0) return matchError(list, `${dict.type}:${dict.name}: table lookup problem`);
      }
      const dot = name.indexOf('.', pos + 1);
      if (dot < 0) break;
      pos = list.flags & MATCH_FLAG_PARENT ? dot + 1 : dot;
    }
    return false;
  }
  if (name === pattern) return true;
  const pd = name.length - pattern.length;
  if (list.flags & MATCH_FLAG_PARENT) return pd > 0 && name[pd - 1] === '.' && name.slice(pd) === pattern;
  return pattern[0] === '.' && pd > 0 && name.slice(pd) === pattern;
}
