/*
 * printable - replace unprintable bytes in a byte string (one char per byte, latin1).
 * Counterpart: postfix/src/util/printable.c. Printable ASCII passes; with UTF-8 enabled,
 * a multi-byte sequence passes too; every other byte becomes the replacement.
 */

/** Postfix: util_utf8_enable, set from smtputf8_enable by programs that read main.cf. */
export let utilUtf8Enable = false;
export function setUtilUtf8Enable(on: boolean): void {
  utilUtf8Enable = on;
}

const isPrintAscii = (c: number) => c >= 0x20 && c < 0x7f;
const isContinuation = (c: number) => c >= 0x80 && c < 0xc0;

/** Postfix: printable_except(). */
export function printableExcept(text: string, replacement: string, except = ''): string {
  let out = '';
  let clean = 0; // start of the run not yet copied
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 && (isPrintAscii(c) || (except !== '' && except.includes(text[i]!)))) continue;
    if (utilUtf8Enable && c >= 194 && c <= 254 && isContinuation(text.charCodeAt(i + 1))) {
      while (isContinuation(text.charCodeAt(i + 1))) i++;
      continue;
    }
    out += text.slice(clean, i) + replacement;
    clean = i + 1;
  }
  return clean === 0 ? text : out + text.slice(clean);
}

/** Postfix: printable(). */
export function printable(text: string, replacement: string): string {
  return printableExcept(text, replacement);
}
