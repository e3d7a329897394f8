/*
 * stringops - the small string helpers that table code shares: C isspace(), ASCII case
 * folding, bracket matching, quoted tokenizing and "key = value" splitting.
 * Counterpart: postfix/src/util/stringops.h with balpar.c, extpar.c, mystrtok.c,
 * argv_splitq.c, split_qnameval.c, trimblanks.c, lowercase.c, allascii.c and
 * valid_utf8_string.c. Strings are byte strings (one char per byte); error texts are
 * Postfix's, because programs print them.
 */

export const CHARS_BRACE = '{}';
export const CHARS_COMMA_SP = ', \t\r\n';
export const CHARS_SPACE = ' \t\r\n';

/** C isspace() in the C locale. */
export function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';
}

/** C isalnum() in the C locale. */
export function isAlnum(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A keyword such as "IF" at the start of the text, in any case, not followed by a letter or digit. */
export function startsWithWord(text: string, word: string): boolean {
  return text.slice(0, word.length).toUpperCase() === word && !isAlnum(text[word.length]);
}

/** Postfix: alldig(). True for a non-empty run of decimal digits. */
export function allDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}

/** The string a C function sees: the text up to the first null byte. */
export function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/** Postfix: lowercase(): ASCII letters only, as tolower() in the C locale. */
export function lowercase(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : text;
}

/** Postfix: trimblanks(): the text without trailing white space. */
export function trimBlanks(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** The text without leading white space. */
export function skipBlanks(text: string): string {
  let start = 0;
  while (start < text.length && isSpace(text[start])) start++;
  return start === 0 ? text : text.slice(start);
}

/** Postfix: allascii(). */
export function allAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}

/** Postfix: valid_utf8_string(): well-formed UTF-8 without overlong forms or surrogates. */
export function validUtf8String(text: string): boolean {
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; cp = c & 0x07; }
    else return false;
    for (let k = 1; k <= need; k++) {
      const d = text.charCodeAt(i + k);
      if (!(d >= 0x80 && d <= 0xbf)) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/** Postfix: balpar(): the length of the parenthesized text at the start, or 0. */
export function balpar(text: string, parens = CHARS_BRACE): number {
  if (text[0] !== parens[0]) return 0;
  let level = 1;
  for (let i = 1; i < text.length && text[i] !== '\0'; i++) {
    if (text[i] === parens[1]) {
      if (--level === 0) return i + 1;
    } else if (text[i] === parens[0]) {
      level++;
    }
  }
  return 0;
}

/**
 * Postfix: extpar(). The text inside the parentheses at the start of the input, and an
 * error text when the input is not one parenthesized group. With strip, white space just
 * inside the parentheses goes too.
 */
export function extpar(text: string, parens = CHARS_BRACE, strip = false): { text: string; err?: string } {
  let inner: string;
  let err: string | undefined;
  if (text[0] !== parens[0]) {
    err = `no '${parens[0]}' at start of text in "${text}"`;
    inner = text;
  } else {
    const len = balpar(text, parens);
    if (len === 0) {
      err = `missing '${parens.slice(1)}' in "${text}"`;
      inner = text.slice(1);
    } else {
      if (len < text.length) err = `syntax error after '${parens.slice(1)}' in "${text}"`;
      inner = text.slice(1, len - 1);
    }
  }
  if (strip) inner = skipBlanks(trimBlanks(inner));
  return err === undefined ? { text: inner } : { text: inner, err };
}

/**
 * Postfix: mystrtokq() in a loop, as argv_splitq() does: tokens separated by any of sep,
 * where separators inside parentheses do not count.
 */
export function splitQuoted(text: string, sep = CHARS_COMMA_SP, parens = CHARS_BRACE): string[] {
  const words: string[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && sep.includes(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let level = 0;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === parens[0]) level++;
      else if (level > 0 && ch === parens[1]) level--;
      else if (level === 0 && sep.includes(ch)) break;
    }
    words.push(text.slice(start, i));
    if (i < text.length) i++;
  }
  return words;
}

/** Postfix: argv_split() / mystrtok(): tokens separated by any of sep. */
export function splitAny(text: string, sep = CHARS_COMMA_SP): string[] {
  const words: string[] = [];
  let word = '';
  for (const ch of text) {
    if (sep.includes(ch)) {
      if (word !== '') words.push(word);
      word = '';
    } else {
      word += ch;
    }
  }
  if (word !== '') words.push(word);
  return words;
}

/**
 * Postfix: split_qnameval(): "key = value" where the key may contain quoted or
 * backslash-escaped white space and '='. Returns the pair or the error text.
 */
export function splitQnameval(text: string): { key: string; value: string } | string {
  let k = 0;
  while (k < text.length && isSpace(text[k])) k++;
  if (k === text.length) return 'no key found; expected format: key = value';
  let inQuotes = false;
  let end = k;
  for (; end < text.length; end++) {
    const ch = text[end];
    if (ch === '\\') {
      if (++end >= text.length) break;
    } else if (isSpace(ch) || ch === '=') {
      if (!inQuotes) break;
    } else if (ch === '"') {
      inQuotes = !inQuotes;
    }
  }
  if (inQuotes) return `unbalanced '"'`;
  let v = end;
  while (v < text.length && isSpace(text[v])) v++;
  if (text[v] !== '=') return "missing '=' after attribute name";
  do v++; while (v < text.length && isSpace(text[v]));
  return { key: text.slice(k, end), value: trimBlanks(text.slice(v)) };
}
