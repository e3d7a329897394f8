/*
 * hex_quote - %XX encoding of bytes that are not printable ASCII, white space, or '%'.
 * Counterpart: postfix/src/util/hex_quote.c. Byte strings in and out.
 */

/** Postfix: hex_quote(). */
export function hexQuote(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    out += c !== 0x25 && c > 0x20 && c < 0x7f ? raw[i] : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const hexDigit = (ch: string | undefined) => (ch !== undefined && /^[0-9a-fA-F]$/.test(ch) ? parseInt(ch, 16) : -1);

/** Postfix: hex_unquote(). null when a % is not followed by two hex digits. */
export function hexUnquote(hex: string): string | null {
  let out = '';
  for (let i = 0; i < hex.length; i++) {
    if (hex[i] !== '%') {
      out += hex[i];
      continue;
    }
    const hi = hexDigit(hex[i + 1]);
    const lo = hi < 0 ? -1 : hexDigit(hex[i + 2]);
    if (lo < 0) return null;
    out += String.fromCharCode((hi << 4) | lo);
    i += 2;
  }
  return out;
}
