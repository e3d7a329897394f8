/*
 * readlline - logical lines of a Postfix configuration or table source file.
 * Counterpart: postfix/src/util/readlline.c. A line that starts with white space
 * continues the previous one; comment lines, blank lines and empty lines are skipped,
 * also between continued lines. Works on a whole text (a byte string) at once.
 */
import { msg } from './msg.js';

const ISSPACE = /[ \t\n\r\v\f]/;

/** One logical line, numbered by its first physical line. */
export interface LogicalLine {
  text: string;
  lineno: number;
}

/**
 * Postfix: readllines(). A logical line that itself starts with white space (text at the
 * very top that looks like a continuation) is reported with the path and dropped.
 */
export function* readLogicalLines(text: string, path: string): Generator<LogicalLine> {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the text ended with a newline
  let buf = '';
  let first = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!/^[ \t\n\r\v\f]*(#|$)/.test(line)) {
      if (buf === '') first = i + 1;
      buf += line;
    }
    if (buf === '') continue;
    // Postfix peeks at the next character: '#' or white space (an empty line too) continues.
    const next = lines[i + 1];
    if (next !== undefined && (next === '' || next[0] === '#' || ISSPACE.test(next[0]!))) continue;
    if (ISSPACE.test(buf[0]!)) {
      const shown = buf.split('\0')[0]!;
      msg.warn(`${path}: logical line must not start with whitespace: "${shown.slice(0, 30)}${buf.length > 30 ? '...' : ''}"`);
    } else {
      yield { text: buf, lineno: first };
    }
    buf = '';
  }
}
