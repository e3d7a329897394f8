/*
 * header_token - split structured header text (Content-Type and the like) into tokens:
 * words, quoted strings (unquoted, unfolded) and single special characters, skipping
 * white space and (nested) comments.
 * Counterpart: postfix/src/global/header_token.c.
 */
import { msg } from '../util/msg.js';

export const HEADER_TOK_TOKEN = 256;
export const HEADER_TOK_QSTRING = 257;

/** Postfix: LEX_822_SPECIALS, the default specials. */
export const LEX_822_SPECIALS = '()<>@,;:\\".[]';

export interface HeaderToken {
  /** HEADER_TOK_TOKEN, HEADER_TOK_QSTRING, or the character code of a special. */
  type: number;
  value: string;
}

const isSpaceTabCrLf = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
/* iscntrl() in the C locale. */
const isCntrl = (ch: string) => ch < ' ' || ch === '\x7f';

/**
 * Postfix: header_token(). Reads from text at pos; at most tokenLen tokens are kept (with
 * a terminator the rest of the item is skipped). Returns the token count and the position
 * after the item, or count -1 when nothing was left.
 */
export function headerToken(tokens: HeaderToken[], tokenLen: number, text: string, pos: number,
  userSpecials: string | null = null, userTerminator = ''): { count: number; pos: number } {
  const specials = userSpecials ?? LEX_822_SPECIALS;
  tokens.length = 0;
  // The text ends at its first NUL, as a C string does.
  const nul = text.indexOf('\0', pos);
  const end = nul < 0 ? text.length : nul;
  let cp = pos;
  let ch: string;
  let terminated = false;
  const isSpecial = (c: string) => specials.includes(c) || isCntrl(c);
  while (cp < end && (userTerminator !== '' || tokens.length < tokenLen)) {
    ch = text[cp++]!;
    if (isSpaceTabCrLf(ch)) continue;
    if (ch === userTerminator) {
      terminated = true;
      break;
    }
    if (ch === '(') {
      // Comments nest.
      let level = 1;
      while (cp < end) {
        ch = text[cp++]!;
        if (ch === '(') {
          level++;
        } else if (ch === ')') {
          if (--level === 0) break;
        } else if (ch === '\\') {
          if (cp >= end) break;
          cp++;
        }
      }
      continue;
    }
    if (ch === '"') {
      const keep = tokens.length < tokenLen;
      let value = '';
      while (cp < end) {
        ch = text[cp++]!;
        if (ch === '"') break;
        if (ch === '\n') {
          // Unfold: drop the white space before the line break.
          if (keep) value = value.replace(/[ \t\r\n]+$/, '');
          continue;
        }
        if (ch === '\\') {
          if (cp >= end) break;
          ch = text[cp++]!;
        }
        if (keep) value += ch;
      }
      if (keep) tokens.push({ type: HEADER_TOK_QSTRING, value });
      continue;
    }
    if (isSpecial(ch)) {
      if (tokens.length < tokenLen) tokens.push({ type: ch.charCodeAt(0), value: ch });
      continue;
    }
    let value = ch;
    while (cp < end && !isSpaceTabCrLf(text[cp]!) && !isSpecial(text[cp]!)) value += text[cp++];
    if (tokens.length < tokenLen) tokens.push({ type: HEADER_TOK_TOKEN, value });
  }
  // Nothing but white space or comments up to the end: no item at all.
  if (tokens.length === 0 && !terminated && cp >= end) return { count: -1, pos };
  if (msg.verbose) {
    msg.info(`header_token: ${tokens[0]?.value ?? ''} ${tokens[1]?.value ?? ''} ${tokens[2]?.value ?? ''}`);
  }
  return { count: tokens.length, pos: cp };
}
