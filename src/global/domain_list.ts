/*
 * domain_list - match a domain name against a list of domain patterns (with parent
 * domains per parent_domain_matches_subdomains); string_list for plain strings.
 * Counterpart: postfix/src/global/domain_list.h, string_list.h and match_parent_style.c.
 */
import { matchHostname, matchListInit, matchListMatch, matchString, MATCH_FLAG_NONE, MATCH_FLAG_PARENT, type MatchList } from '../util/match_list.js';
import { mailConfStr } from './mail_conf.js';

export type DomainList = MatchList;
export type StringList = MatchList;

/** Postfix: domain_list_init(). */
export const domainListInit = (pname: string, flags: number, patterns: string): Promise<DomainList> =>
  matchListInit(pname, flags, patterns, [matchHostname]);
/** Postfix: domain_list_match(). */
export const domainListMatch = (list: DomainList, name: string): Promise<boolean> => matchListMatch(list, name);
/** Postfix: string_list_init(). */
export const stringListInit = (pname: string, flags: number, patterns: string): Promise<StringList> =>
  matchListInit(pname, flags, patterns, [matchString]);
/** Postfix: string_list_match(). */
export const stringListMatch = (list: StringList, name: string): Promise<boolean> => matchListMatch(list, name);

let parentStyle: StringList | undefined;

/** Postfix: match_parent_style(): MATCH_FLAG_PARENT when the parameter is listed. */
export async function matchParentStyle(name: string): Promise<number> {
  parentStyle ??= await stringListInit('parent_domain_matches_subdomains', MATCH_FLAG_NONE,
    mailConfStr('parent_domain_matches_subdomains'));
  return (await stringListMatch(parentStyle, name)) ? MATCH_FLAG_PARENT : 0;
}
