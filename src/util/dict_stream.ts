/*
 * dict_stream - the text of a rule-based table: a file, or inline rules in the table name,
 * "{{rule1}, {rule2}, ...}", one rule per line.
 * Counterpart: postfix/src/util/dict_stream.c. Inline text is owned by the running user;
 * its warnings name "unknown_stream", as Postfix's memory streams do.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { strerror } from './strerror.js';
import { CHARS_BRACE, CHARS_COMMA_SP, extpar, splitQuoted } from './stringops.js';

export interface DictStreamText {
  text: string;
  /** The name that readllines() warnings show. */
  path: string;
  uid: number;
  /** The read error after a successful open (a directory), for the tables that care. */
  readError?: unknown;
}

/** Postfix: dict_inline_to_multiline(). */
function inlineToMultiline(mapname: string): string | { text: string } {
  const outer = extpar(mapname, CHARS_BRACE);
  if (outer.err !== undefined) return outer.err;
  let text = '';
  for (const word of splitQuoted(outer.text, CHARS_COMMA_SP, CHARS_BRACE)) {
    const rule = extpar(word, CHARS_BRACE, true);
    if (rule.err !== undefined) return rule.err;
    text += `${rule.text}\n`;
  }
  return { text };
}

/** Postfix: dict_stream_open(). The table text, or why it cannot be had. */
export function dictStreamOpen(type: string, mapname: string): DictStreamText | string {
  if (mapname[0] === CHARS_BRACE[0]) {
    const inline = inlineToMultiline(mapname);
    if (typeof inline === 'string') return `${type} map: ${inline}`;
    return { text: inline.text, path: 'unknown_stream', uid: process.getuid?.() ?? 0 };
  }
  let fd: number;
  try {
    fd = openSync(mapname, 'r');
  } catch (err) {
    return `open ${mapname}: ${strerror(err)}`;
  }
  try {
    const uid = fstatSync(fd).uid;
    try {
      return { text: readFileSync(fd, 'latin1'), path: mapname, uid };
    } catch (err) {
      return { text: '', path: mapname, uid, readError: err };
    }
  } finally {
    closeSync(fd);
  }
}
