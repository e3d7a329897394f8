/*
 * attr_print_plain - send attribute lists in the plain encoding: name=value lines, an
 * empty line at the end.
 * Counterpart: postfix/src/util/attr_print_plain.c. DATA goes out base64-encoded; a group
 * is written as "{\0\n" ... "}\0\n", with the NUL byte Postfix writes there.
 */
import {
  ATTR_FLAG_MORE, ATTR_NAME_CLOSE, ATTR_NAME_OPEN, ATTR_TYPE_DATA, ATTR_TYPE_FUNC, ATTR_TYPE_HASH,
  ATTR_TYPE_INT, ATTR_TYPE_LONG, ATTR_TYPE_STR, cString, dataBytes, encodeAttrList, formatUnsigned,
  formatUnsignedLong, logSentHashEntry, writeAttrList, type SendAttr,
} from './attr.js';
import type { AsyncVStream } from './vstream_async.js';

const line = (name: string, value: string) => `${cString(name)}=${cString(value)}\n`;

function encodeOnePlain(attr: SendAttr, flags: number): string {
  switch (attr.type) {
    case ATTR_TYPE_INT:
      return line(attr.name, formatUnsigned(attr.value));
    case ATTR_TYPE_LONG:
      return line(attr.name, formatUnsignedLong(attr.value));
    case ATTR_TYPE_STR:
      return line(attr.name, attr.value);
    case ATTR_TYPE_DATA:
      return line(attr.name, dataBytes(attr.value).toString('base64'));
    case ATTR_TYPE_FUNC:
      return attr.print(encodeAttrPlain, flags | ATTR_FLAG_MORE);
    case ATTR_TYPE_HASH: {
      let out = `${ATTR_NAME_OPEN}\0\n`;
      for (const [key, value] of attr.value) {
        out += line(key, value);
        logSentHashEntry(key, value);
      }
      return out + `${ATTR_NAME_CLOSE}\0\n`;
    }
  }
}

/** The bytes attr_print_plain() would write for this list. */
export function encodeAttrPlain(flags: number, attrs: readonly SendAttr[]): string {
  return encodeAttrList('attr_print_plain', flags, attrs, encodeOnePlain, '\n');
}

/** Postfix: attr_print_plain(). Queues the list on the stream (flush() sends it). */
export function attrPrintPlain(stream: AsyncVStream, flags: number, attrs: readonly SendAttr[]): number {
  return writeAttrList(stream, encodeAttrPlain(flags, attrs));
}
