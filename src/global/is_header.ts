/*
 * is_header - does a text line start with a message header label ("Name:")?
 * Counterpart: postfix/src/global/is_header.c. The label is printable ASCII without
 * space, tab or colon; white space may separate it from the colon (RFC 822 obsolete syntax).
 */

/** Postfix: is_header(): the label length, or 0 when the text is not a header. */
export function isHeader(text: string): number {
  let len = 0;
  let sawSpace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a /* : */) return len;
    if (c === 0x20 || c === 0x09) {
      if (len === 0) return 0;
      sawSpace = true;
      continue;
    }
    if (c === 0 || c >= 0x80 || c < 0x20 || c === 0x7f || sawSpace) return 0;
    len++;
  }
  return 0;
}
