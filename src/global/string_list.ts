/*
 * string_list - a match list of plain strings (and tables of them), such as the "domain"
 * setting of table clients.
 * Counterpart: postfix/src/global/string_list.c, a match_list with match_string().
 */
import { type MatchList, matchListInit, matchListMatch, matchString } from '../util/match_list.js';

export type StringList = MatchList;

/** Postfix: string_list_init(). */
export function stringListInit(pname: string, flags: number, patterns: string): Promise<StringList> {
  return matchListInit(pname, flags, patterns, [matchString]);
}

/** Postfix: string_list_match(). */
export function stringListMatch(list: StringList, string: string): Promise<boolean> {
  return matchListMatch(list, string);
}
