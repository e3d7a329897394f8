/*
 * quote_822_local - quote the local part of an address when RFC 822 requires it:
 * "john doe"@example.com, while john.doe@example.com stays as it is.
 * Counterpart: postfix/src/global/quote_822_local.c and quote_flags.h (quoting only).
 */

export const QUOTE_FLAG_8BITCLEAN = 1 << 0; // be 8-bit clean
export const QUOTE_FLAG_EXPOSE_AT = 1 << 1; // @ is ordinary text
export const QUOTE_FLAG_APPEND = 1 << 2; // append, not overwrite (no meaning here)
export const QUOTE_FLAG_BARE_LOCALPART = 1 << 3; // all localpart, no @domain
export const QUOTE_FLAG_DEFAULT = QUOTE_FLAG_8BITCLEAN;

const SPECIALS = new Set(['(', ')', '<', '>', ',', ';', ':', '\\', '"', '[', ']']);

/* Postfix: is_822_dot_string(). */
function isDotString(local: string, flags: number): boolean {
  if (local === '' || local[0] === '.') return false;
  for (let i = 0; i < local.length; i++) {
    const ch = local[i]!;
    const code = local.charCodeAt(i);
    if (ch === '.' && local[i + 1] === '.') return false;
    if (code > 127 && !(flags & QUOTE_FLAG_8BITCLEAN)) return false;
    if (ch === ' ' || code < 32 || code === 127) return false;
    if (SPECIALS.has(ch) || (ch === '@' && !(flags & QUOTE_FLAG_EXPOSE_AT))) return false;
  }
  return local[local.length - 1] !== '.';
}

/* Postfix: make_822_quoted_string(). */
function quotedString(local: string, flags: number): string {
  let out = '"';
  for (let i = 0; i < local.length; i++) {
    const ch = local[i]!;
    const code = local.charCodeAt(i);
    if ((code > 127 && !(flags & QUOTE_FLAG_8BITCLEAN)) || ch === '"' || ch === '\\' || ch === '\r') out += '\\';
    out += ch;
  }
  return `${out}"`;
}

/** Postfix: quote_822_local_flags(). Addresses are byte strings; a NUL ends them. */
export function quote822Local(mbox: string, flags = QUOTE_FLAG_DEFAULT): string {
  const nul = mbox.indexOf('\0');
  if (nul >= 0) mbox = mbox.slice(0, nul);
  // Skip a source route (@host,@host:) before the local part.
  const colon = mbox[0] === '@' ? mbox.indexOf(':') : -1;
  const start = colon >= 0 ? colon + 1 : 0;
  const at = flags & QUOTE_FLAG_BARE_LOCALPART ? -1 : mbox.lastIndexOf('@');
  const end = at >= start ? at : mbox.length;
  const local = mbox.slice(start, end);
  if (isDotString(local, flags)) return mbox;
  return mbox.slice(0, start) + quotedString(local, flags) + mbox.slice(end);
}
