/*
 * tok822 - RFC 822 tokens: the flat token list of an address text, and conversion back to
 * text in internal (unquoted) and external (quoted) form.
 * Counterpart: the tok822_scan(), tok822_find_type(), tok822_internalize() and
 * tok822_externalize() parts of postfix/src/global/tok822_parse.c and tok822_find.c, as
 * postalias uses them. The parse tree (address grouping) is not built here yet.
 */

export const TOK822_ATOM = 256;
export const TOK822_QSTRING = 257;
export const TOK822_ADDR = 258;
export const TOK822_COMMENT = 259;
export const TOK822_DOMLIT = 260;
export const TOK822_STARTGRP = 261;
export const TOK822_MINTOK = TOK822_ATOM;

export interface Tok822 {
  /** An operator character code, or one of the TOK822_ types. */
  type: number;
  text: string;
}

const LEX_822_SPECIALS = '()<>@,;:\\".[]';
/* Operators: RFC 822 specials, and % ! | for the rest of the world and aliases files. */
const OPCHARS = `|%!${LEX_822_SPECIALS}`;

const isSpaceTabCrLf = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isOperatorChar = (ch: string) => OPCHARS.includes(ch);
const isCntrl = (code: number) => code < 0x20 || code === 0x7f;

/**
 * Collect characters while more(ch) holds; a backslash takes the next character
 * literally. White space becomes a space. Returns the text and the new position.
 */
function collect(str: string, pos: number, more: (ch: string) => boolean): [string, number] {
  let text = '';
  while (pos < str.length) {
    let ch = str[pos]!;
    if (ch === '\\') {
      if (++pos >= str.length) break;
      ch = str[pos]!;
    } else if (!more(ch)) {
      break;
    }
    text += isSpaceTabCrLf(ch) ? ' ' : ch;
    pos++;
  }
  return [text, pos];
}

/** A comment, kept in external form with its parentheses; comments nest. */
function comment(str: string, pos: number): [string, number] {
  let text = '(';
  let level = 1;
  while (pos < str.length) {
    const ch = str[pos++]!;
    text += ch;
    if (ch === '(') {
      level++;
    } else if (ch === ')') {
      if (--level === 0) break;
    } else if (ch === '\\') {
      if (pos >= str.length) break;
      text += str[pos++];
    }
  }
  return [text, pos];
}

/** An atom that would need quotes when written out becomes a quoted string. */
function atomOrQuoted(text: string): Tok822 {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' || isCntrl(ch.charCodeAt(0)) || isOperatorChar(ch)) return { type: TOK822_QSTRING, text };
  }
  return { type: TOK822_ATOM, text };
}

/** Postfix: tok822_scan(): the flat token list of a text (a C string). */
export function tok822Scan(str: string): Tok822[] {
  const tokens: Tok822[] = [];
  let pos = 0;
  while (pos < str.length && str[pos] !== '\0') {
    const ch = str[pos++]!;
    if (isSpaceTabCrLf(ch)) continue;
    let text: string;
    if (ch === '(') {
      [text, pos] = comment(str, pos);
      tokens.push({ type: TOK822_COMMENT, text });
    } else if (ch === '[' || ch === '"') {
      const close = ch === '[' ? ']' : '"';
      [text, pos] = collect(str, pos, (c) => c !== close);
      if (pos < str.length) pos++; // the closing character
      tokens.push({ type: ch === '[' ? TOK822_DOMLIT : TOK822_QSTRING, text });
    } else if (ch !== '\\' && isOperatorChar(ch)) {
      tokens.push({ type: ch.charCodeAt(0), text: '' });
    } else {
      [text, pos] = collect(str, pos - 1, (c) => !isSpaceTabCrLf(c) && !isOperatorChar(c));
      tokens.push(atomOrQuoted(text));
    }
  }
  return tokens;
}

const nonOperator = (type: number) => type === TOK822_ATOM || type === TOK822_QSTRING || type === TOK822_COMMENT
  || type === TOK822_DOMLIT || type === TOK822_ADDR;

/** Postfix: tok822_append_space(): a space between words, after commas, before '<'. */
function appendSpace(tokens: readonly Tok822[], i: number): boolean {
  const next = tokens[i + 1];
  if (next === undefined) return false;
  const type = tokens[i]!.type;
  if (type === 44 /* , */ || type === TOK822_STARTGRP || next.type === 60 /* < */) return true;
  return nonOperator(type) && nonOperator(next.type);
}

/** Postfix: tok822_internalize() of a flat list: quoted strings lose their quotes. */
export function tok822Internalize(tokens: readonly Tok822[]): string {
  let out = '';
  tokens.forEach((tp, i) => {
    switch (tp.type) {
      case TOK822_COMMENT:
      case TOK822_ATOM:
      case TOK822_QSTRING:
        out += tp.text;
        break;
      case TOK822_DOMLIT:
        out += `[${tp.text}]`;
        break;
      case TOK822_STARTGRP:
        out += ':';
        break;
      default:
        out += String.fromCharCode(tp.type);
    }
    if (appendSpace(tokens, i)) out += ' ';
  });
  return out;
}

/** Postfix: tok822_copy_quoted(). */
function copyQuoted(text: string, quoteSet: string): string {
  let out = '';
  for (const ch of text) out += quoteSet.includes(ch) ? `\\${ch}` : ch;
  return out;
}

/** Postfix: tok822_externalize() of a flat list: text that parses back to the same tokens. */
export function tok822Externalize(tokens: readonly Tok822[]): string {
  let out = '';
  tokens.forEach((tp, i) => {
    switch (tp.type) {
      case 44: // ','
        out += ', ';
        return;
      case TOK822_ATOM:
      case TOK822_COMMENT:
        out += tp.text;
        break;
      case TOK822_QSTRING:
        out += `"${copyQuoted(tp.text, '"\\\r\n')}"`;
        break;
      case TOK822_DOMLIT:
        out += `[${copyQuoted(tp.text, '\\\r\n')}]`;
        break;
      case TOK822_STARTGRP:
        out += ':';
        break;
      default:
        out += String.fromCharCode(tp.type);
    }
    if (appendSpace(tokens, i)) out += ' ';
  });
  return out;
}
