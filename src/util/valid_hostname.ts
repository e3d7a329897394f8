/*
 * valid_hostname - is a name a syntactically valid host name (labels of letters, digits,
 * underscores and inner hyphens, at most 63 bytes each, 255 in all, not all numeric)?
 * Counterpart: valid_hostname() in postfix/src/util/valid_hostname.c. With gripe set, the
 * reason goes out as a warning, as Postfix's DO_GRIPE does.
 */
import { msg } from './msg.js';

export const VALID_HOSTNAME_LEN = 255;
export const VALID_LABEL_LEN = 63;
export const DONT_GRIPE = 0;
export const DO_GRIPE = 1 << 0;
export const DO_WILDCARD = 1 << 1;

const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Postfix: valid_hostname(). */
export function validHostname(name: string, flags: number): boolean {
  const myname = 'valid_hostname';
  const gripe = (text: string) => {
    if (flags & DO_GRIPE) msg.warn(`${myname}: ${text}`);
    return false;
  };
  const shown = name.slice(0, 100);
  if (name === '') return gripe('empty hostname');
  let labelLength = 0;
  let labelCount = 0;
  let nonNumeric = false;
  let end = name.indexOf('\0');
  if (end < 0) end = name.length;
  for (let i = 0; i < end; i++) {
    const ch = name.charCodeAt(i);
    const next = i + 1 < end ? name[i + 1] : undefined;
    if (isAlnum(ch) || ch === 0x5f) {
      if (labelLength === 0) labelCount++;
      labelLength++;
      if (labelLength > VALID_LABEL_LEN) return gripe(`hostname label too long: ${shown}`);
      if (!isDigit(ch)) nonNumeric = true;
    } else if ((flags & DO_WILDCARD) && ch === 0x2a) {
      if (labelLength || labelCount || (next !== undefined && next !== '.')) return gripe(`'*' can be the first label only: ${shown}`);
      labelCount++;
      labelLength++;
      nonNumeric = true;
    } else if (ch === 0x2e) {
      if (labelLength === 0 || next === undefined) return gripe(`misplaced delimiter: ${shown}`);
      labelLength = 0;
    } else if (ch === 0x2d) {
      nonNumeric = true;
      labelLength++;
      if (labelLength === 1 || next === undefined || next === '.') return gripe(`misplaced hyphen: ${shown}`);
    } else {
      return gripe(`invalid character ${ch}(decimal): ${shown}`);
    }
  }
  if (!nonNumeric) return gripe(`numeric hostname: ${shown}`);
  if (end > VALID_HOSTNAME_LEN) return gripe(`bad length ${end} for ${shown}...`);
  return true;
}
