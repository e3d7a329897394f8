/*
 * dsn_util - RFC 3463 enhanced status codes: recognize one, and split "4.1.1 text" into
 * the code and the text with a default code when the text has none.
 * Counterpart: postfix/src/global/dsn_util.c (dsn_valid(), dsn_split(), dsn_prepend()).
 */
import { msg } from '../util/msg.js';

export const DSN_DIGS2 = 3;
export const DSN_DIGS3 = 3;

const SPACE = /[ \t\n\v\f\r]/;

/** Postfix: dsn_valid(). The length of the status code at the start of text, or 0. */
export function dsnValid(text: string): number {
  const m = /^[245]\.([0-9]+)\.([0-9]+)/.exec(text);
  if (m === null || m[1]!.length > DSN_DIGS2 || m[2]!.length > DSN_DIGS3) return 0;
  const next = text[m[0].length];
  if (next !== undefined && next !== '\0' && !SPACE.test(next)) return 0;
  return m[0].length;
}

export interface DsnSplit {
  dsn: string;
  text: string;
}

/** Postfix: dsn_split(). The code from the text, else the default; the rest is the text. */
export function dsnSplit(defDsn: string, text: string): DsnSplit {
  let cp = text.replace(/^[ \t\n\v\f\r]+/, '');
  let len = dsnValid(cp);
  let dsn: string;
  if (len > 0) {
    dsn = cp.slice(0, len);
    cp = cp.slice(len + 1); // skips the white space after the code
  } else if ((len = dsnValid(defDsn)) > 0) {
    dsn = defDsn.slice(0, len);
  } else {
    return msg.panic(`dsn_split: bad default status "${defDsn}"`);
  }
  return { dsn, text: cp.replace(/^[ \t\n\v\f\r]+/, '') };
}

/** Postfix: dsn_prepend(): "code text" with the default code when text has none. */
export function dsnPrepend(defDsn: string, text: string): string {
  const dp = dsnSplit(defDsn, text);
  return `${dp.dsn} ${dp.text}`;
}
