/*
 * match_service - match a master.cf service "name/type" against a pattern list such as
 * master_service_disable: "name/type" or "type" patterns, case-insensitive, first match
 * wins, "!" negates, the old "name.type" form still understood.
 * Counterpart: postfix/src/global/match_service.c.
 */
import { msg } from '../util/msg.js';
import { splitAny, CHARS_COMMA_SP } from '../util/stringops.js';

/** Postfix: match_service_init(). */
export function matchServiceInit(patterns: string): string[] {
  return splitAny(patterns, CHARS_COMMA_SP).map((p) => {
    const dot = p.lastIndexOf('.');
    return !p.includes('/') && dot >= 0 ? `${p.slice(0, dot)}/${p.slice(dot + 1)}` : p;
  });
}

/** Postfix: match_service_match(). */
export function matchServiceMatch(list: readonly string[], nameType: string): boolean {
  const myname = 'match_service_match';
  if (list.length === 0) return false;
  const slash = nameType.lastIndexOf('/');
  if (slash < 0 || slash === nameType.length - 1) {
    msg.panic(`${myname}: malformed service: "${nameType}"; need "name/type" format`);
  }
  const type = nameType.slice(slash + 1);
  for (let pattern of list) {
    if (msg.verbose) msg.info(`${myname}: ${nameType} ~? ${pattern}`);
    let match = true;
    while (pattern.startsWith('!')) {
      match = !match;
      pattern = pattern.slice(1);
    }
    if ((pattern.includes('/') ? nameType : type).toLowerCase() === pattern.toLowerCase()) {
      if (msg.verbose) msg.info(`${myname}: ${nameType}: found match`);
      return match;
    }
  }
  if (msg.verbose) msg.info(`${myname}: ${nameType}: no match`);
  return false;
}
