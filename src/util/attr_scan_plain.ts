/*
 * attr_scan_plain - receive attribute lists in the plain encoding: name=value lines and an
 * empty line to end the list (anvil and policy delegation speak this).
 * Counterpart: postfix/src/util/attr_scan_plain.c (the logic is shared, in attr.ts). The
 * name ends at the first '='; the value runs to the newline, '=' and '\r' included.
 */
import { attrScanWith, lineScanCodec, type AttrScanResult, type RecvAttr } from './attr.js';
import type { AsyncVStream } from './vstream_async.js';

export const ATTR_SCAN_PLAIN_CODEC = lineScanCodec('attr_scan_plain', '=', false);

/** Postfix: attr_scan_plain(). */
export function attrScanPlain<const T extends readonly RecvAttr[]>(
  stream: AsyncVStream, flags: number, wants: T): Promise<AttrScanResult<T>> {
  return attrScanWith(ATTR_SCAN_PLAIN_CODEC, stream, flags, wants);
}

/** Postfix: attr_scan_more_plain(). */
export function attrScanMorePlain(stream: AsyncVStream): Promise<number> {
  return ATTR_SCAN_PLAIN_CODEC.more(stream);
}
