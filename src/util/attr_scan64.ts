/*
 * attr_scan64 - receive attribute lists in the base64 encoding: one line per attribute,
 * base64(name):base64(value), and an empty line to end the list.
 * Counterpart: postfix/src/util/attr_scan64.c (the logic is shared, in attr.ts).
 * Postfix 3.7.11 ships this encoding but no program uses it.
 */
import { attrScanWith, lineScanCodec, type AttrScanResult, type RecvAttr } from './attr.js';
import type { AsyncVStream } from './vstream_async.js';

export const ATTR_SCAN64_CODEC = lineScanCodec('attr_scan64', ':', true);

/** Postfix: attr_scan64(). */
export function attrScan64<const T extends readonly RecvAttr[]>(
  stream: AsyncVStream, flags: number, wants: T): Promise<AttrScanResult<T>> {
  return attrScanWith(ATTR_SCAN64_CODEC, stream, flags, wants);
}

/** Postfix: attr_scan_more64(). */
export function attrScanMore64(stream: AsyncVStream): Promise<number> {
  return ATTR_SCAN64_CODEC.more(stream);
}
