/*
 * attr_print64 - send attribute lists in the base64 encoding: base64(name):base64(value)
 * lines, a bare base64("{") / base64("}") line around a group, an empty line at the end.
 * Counterpart: postfix/src/util/attr_print64.c. DATA is encoded like a string.
 */
import {
  ATTR_FLAG_MORE, ATTR_NAME_CLOSE, ATTR_NAME_OPEN, ATTR_TYPE_DATA, ATTR_TYPE_FUNC, ATTR_TYPE_HASH,
  ATTR_TYPE_INT, ATTR_TYPE_LONG, ATTR_TYPE_STR, cString, dataBytes, encodeAttrList, formatUnsigned,
  formatUnsignedLong, logSentHashEntry, writeAttrList, type SendAttr,
} from './attr.js';
import type { AsyncVStream } from './vstream_async.js';

const b64 = (bytes: string | Buffer) => dataBytes(bytes).toString('base64');
const line = (name: string, value: string | Buffer) => `${b64(cString(name))}:${b64(value)}\n`;

function encodeOne64(attr: SendAttr, flags: number): string {
  switch (attr.type) {
    case ATTR_TYPE_INT:
      return line(attr.name, formatUnsigned(attr.value));
    case ATTR_TYPE_LONG:
      return line(attr.name, formatUnsignedLong(attr.value));
    case ATTR_TYPE_STR:
      return line(attr.name, cString(attr.value));
    case ATTR_TYPE_DATA:
      return line(attr.name, attr.value);
    case ATTR_TYPE_FUNC:
      return attr.print(encodeAttr64, flags | ATTR_FLAG_MORE);
    case ATTR_TYPE_HASH: {
      let out = `${b64(ATTR_NAME_OPEN)}\n`;
      for (const [key, value] of attr.value) {
        out += line(key, cString(value));
        logSentHashEntry(key, value);
      }
      return out + `${b64(ATTR_NAME_CLOSE)}\n`;
    }
  }
}

/** The bytes attr_print64() would write for this list. */
export function encodeAttr64(flags: number, attrs: readonly SendAttr[]): string {
  return encodeAttrList('attr_print64', flags, attrs, encodeOne64, '\n');
}

/** Postfix: attr_print64(). Queues the list on the stream (flush() sends it). */
export function attrPrint64(stream: AsyncVStream, flags: number, attrs: readonly SendAttr[]): number {
  return writeAttrList(stream, encodeAttr64(flags, attrs));
}
