/*
 * attr_print0 - send attribute lists in the NUL-terminated encoding (Postfix's default):
 * name\0value\0 per attribute, "{\0" ... "}\0" around a group, one more \0 at the end.
 * Counterpart: postfix/src/util/attr_print0.c. Numbers go out unsigned ("%u", "%lu");
 * DATA goes out base64-encoded.
 */
import { encodeAttrWith, writeAttrList, type AttrPrintStyle, type SendAttr } from './attr.js';
import type { AsyncVStream } from './vstream_async.js';

const STYLE0: AttrPrintStyle = {
  myname: 'attr_print0',
  pair: (name, value) => `${name}\0${value}\0`,
  data: (bytes) => bytes.toString('base64'),
  groupOpen: '{\0',
  groupClose: '}\0',
  end: '\0',
};

/** The bytes attr_print0() would write for this list. */
export function encodeAttr0(flags: number, attrs: readonly SendAttr[]): string {
  return encodeAttrWith(STYLE0, flags, attrs);
}

/** Postfix: attr_print0(). Queues the list on the stream (flush() sends it). */
export function attrPrint0(stream: AsyncVStream, flags: number, attrs: readonly SendAttr[]): number {
  return writeAttrList(stream, encodeAttr0(flags, attrs));
}
