/*
 * base64_code - RFC 4648 base64 with '=' padding, on byte strings.
 * Counterpart: postfix/src/util/base64_code.c. Decoding is as strict as Postfix's: the
 * length must be a multiple of 4 and every byte must be in the alphabet, except that
 * decoding stops at the first '=' in the third or fourth place of a group.
 */

const TO_B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const UN_B64 = new Int16Array(256).fill(-1);
for (let i = 0; i < TO_B64.length; i++) UN_B64[TO_B64.charCodeAt(i)] = i;

/** Postfix: base64_encode(). */
export function base64Encode(data: Buffer | string): string {
  return (typeof data === 'string' ? Buffer.from(data, 'latin1') : data).toString('base64');
}

/** Postfix: base64_decode(). The decoded bytes as a byte string, or null if malformed. */
export function base64Decode(text: string): string | null {
  if (text.length % 4 !== 0) return null;
  const out: number[] = [];
  const code = (i: number) => UN_B64[text.charCodeAt(i) & 0xff]!;
  for (let i = 0; i < text.length; i += 4) {
    const c0 = code(i);
    const c1 = code(i + 1);
    if (c0 < 0 || c1 < 0 || text.charCodeAt(i) > 0xff || text.charCodeAt(i + 1) > 0xff) return null;
    out.push(((c0 << 2) | (c1 >> 4)) & 0xff);
    if (text[i + 2] === '=') break;
    const c2 = code(i + 2);
    if (c2 < 0) return null;
    out.push(((c1 << 4) | (c2 >> 2)) & 0xff);
    if (text[i + 3] === '=') break;
    const c3 = code(i + 3);
    if (c3 < 0) return null;
    out.push(((c2 << 6) | c3) & 0xff);
  }
  return Buffer.from(out).toString('latin1');
}
