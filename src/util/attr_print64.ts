/*
 * attr_print64 - send attribute lists in the base64 encoding: base64(name):base64(value)
 * lines, a bare base64("{") / base64("}") line around a group, an empty line at the end.
 * Counterpart: postfix/src/util/attr_print64.c. DATA is encoded like a string.
 */
import { encodeAttrWith, writeAttrList, type AttrPrintStyle, type SendAttr } from './attr.js';
import type { AsyncVStream } from './vstream_async.js';

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

const STYLE64: AttrPrintStyle = {
  myname: 'attr_print64',
  pair: (name, value) => `${b64(name)}:${b64(value)}\n`,
  data: (bytes) => bytes.toString('latin1'),
  groupOpen: `${b64('{')}\n`,
  groupClose: `${b64('}')}\n`,
  end: '\n',
};

/** The bytes attr_print64() would write for this list. */
export function encodeAttr64(flags: number, attrs: readonly SendAttr[]): string {
  return encodeAttrWith(STYLE64, flags, attrs);
}

/** Postfix: attr_print64(). Queues the list on the stream (flush() sends it). */
export function attrPrint64(stream: AsyncVStream, flags: number, attrs: readonly SendAttr[]): number {
  return writeAttrList(stream, encodeAttr64(flags, attrs));
}
