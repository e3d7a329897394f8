/*
 * attr_print_plain - send attribute lists in the plain encoding: name=value lines, an
 * empty line at the end.
 * Counterpart: postfix/src/util/attr_print_plain.c. DATA goes out base64-encoded; a group
 * is written as "{\0\n" ... "}\0\n", with the NUL byte Postfix writes there.
 */
import { encodeAttrWith, writeAttrList, type AttrPrintStyle, type SendAttr } from './attr.js';
import type { AsyncVStream } from './vstream_async.js';

const STYLE_PLAIN: AttrPrintStyle = {
  myname: 'attr_print_plain',
  pair: (name, value) => `${name}=${value}\n`,
  data: (bytes) => bytes.toString('base64'),
  groupOpen: '{\0\n',
  groupClose: '}\0\n',
  end: '\n',
};

/** The bytes attr_print_plain() would write for this list. */
export function encodeAttrPlain(flags: number, attrs: readonly SendAttr[]): string {
  return encodeAttrWith(STYLE_PLAIN, flags, attrs);
}

/** Postfix: attr_print_plain(). Queues the list on the stream (flush() sends it). */
export function attrPrintPlain(stream: AsyncVStream, flags: number, attrs: readonly SendAttr[]): number {
  return writeAttrList(stream, encodeAttrPlain(flags, attrs));
}
