/*
 * attr_print0 - send attribute lists in the NUL-terminated encoding (Postfix's default):
 * name\0value\0 per attribute, "{\0" ... "}\0" around a group, one more \0 at the end.
 * Counterpart: postfix/src/util/attr_print0.c. Numbers go out unsigned ("%u", "%lu");
 * DATA goes out base64-encoded.
 */
import {
  ATTR_FLAG_MORE, ATTR_NAME_CLOSE, ATTR_NAME_OPEN, ATTR_TYPE_DATA, ATTR_TYPE_FUNC, ATTR_TYPE_HASH,
  ATTR_TYPE_INT, ATTR_TYPE_LONG, ATTR_TYPE_STR, cString, dataBytes, encodeAttrList, formatUnsigned,
  formatUnsignedLong, logSentHashEntry, writeAttrList, type SendAttr,
} from './attr.js';
import type { AsyncVStream } from './vstream_async.js';

const z = (text: string) => `${cString(text)}\0`;

function encodeOne0(attr: SendAttr, flags: number): string {
  switch (attr.type) {
    case ATTR_TYPE_INT:
      return z(attr.name) + z(formatUnsigned(attr.value));
    case ATTR_TYPE_LONG:
      return z(attr.name) + z(formatUnsignedLong(attr.value));
    case ATTR_TYPE_STR:
      return z(attr.name) + z(attr.value);
    case ATTR_TYPE_DATA:
      return z(attr.name) + z(dataBytes(attr.value).toString('base64'));
    case ATTR_TYPE_FUNC:
      return attr.print(encodeAttr0, flags | ATTR_FLAG_MORE);
    case ATTR_TYPE_HASH: {
      let out = z(ATTR_NAME_OPEN);
      for (const [key, value] of attr.value) {
        out += z(key) + z(value);
        logSentHashEntry(key, value);
      }
      return out + z(ATTR_NAME_CLOSE);
    }
  }
}

/** The bytes attr_print0() would write for this list. */
export function encodeAttr0(flags: number, attrs: readonly SendAttr[]): string {
  return encodeAttrList('attr_print0', flags, attrs, encodeOne0, '\0');
}

/** Postfix: attr_print0(). Queues the list on the stream (flush() sends it). */
export function attrPrint0(stream: AsyncVStream, flags: number, attrs: readonly SendAttr[]): number {
  return writeAttrList(stream, encodeAttr0(flags, attrs));
}
