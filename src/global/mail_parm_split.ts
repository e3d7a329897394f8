/*
 * mail_parm_split - split a list-valued parameter into words, where "{ text }" is one
 * word with the braces and surrounding white space removed.
 * Counterpart: postfix/src/global/mail_parm_split.c.
 */
import { msg } from '../util/msg.js';
import { CHARS_BRACE, CHARS_COMMA_SP, extpar, splitQuoted } from '../util/stringops.js';

/** Postfix: mail_parm_split(). A bad brace is fatal, naming the parameter. */
export function mailParmSplit(name: string, value: string): string[] {
  return splitQuoted(value, CHARS_COMMA_SP, CHARS_BRACE).map((word) => {
    if (word[0] !== CHARS_BRACE[0]) return word;
    const inner = extpar(word, CHARS_BRACE, true);
    if (inner.err !== undefined) msg.fatal(`${name}: ${inner.err}`);
    return inner.text;
  });
}
