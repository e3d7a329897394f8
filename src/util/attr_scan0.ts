/*
 * attr_scan0 - receive attribute lists in the NUL-terminated encoding: name\0value\0 ...
 * and one more \0 to end the list.
 * Counterpart: postfix/src/util/attr_scan0.c (the wish-list logic is shared, in attr.ts).
 * As in 3.7.11, no length limit applies to names or values.
 */
import {
  attrScanMoreWith, attrScanWith, cString, decodeDataValue, logToken, warnTokenEnd,
  type AttrScanCodec, type AttrScanResult, type AttrToken, type RecvAttr,
} from './attr.js';
import { msg } from './msg.js';
import { VSTREAM_EOF, type AsyncVStream } from './vstream_async.js';

const isNul = (ch: number) => ch === 0;

/** One NUL-terminated string; null (after a warning) when input ends first. */
async function scan0String(stream: AsyncVStream, context: string): Promise<string | null> {
  const { text, ch } = await stream.readUntil(isNul, stream.tokenLimit);
  if (ch === VSTREAM_EOF && text !== '') {
    msg.warn(`unexpected end-of-input from ${stream.path} while reading ${context}`);
    return null;
  }
  if (ch < 0) {
    warnTokenEnd(stream, ch, context);
    return null;
  }
  logToken(context, text);
  return text;
}

export const ATTR_SCAN0_CODEC: AttrScanCodec = {
  myname: 'attr_scan0',
  async readName(stream) {
    const text = await scan0String(stream, 'input attribute name');
    return text === null ? null : { text, ch: 0 };
  },
  isEnd: (name: AttrToken) => name.text === '',
  isGroupMark: (name: AttrToken, mark: string) => cString(name.text) === mark,
  async skipValue(stream) {
    await scan0String(stream, 'input attribute value'); // trouble shows up at the next name
  },
  async readValue(stream, _name, kind) {
    const context = 'input attribute value';
    const text = await scan0String(stream, context);
    return text === null || kind !== 'data' ? text : decodeDataValue(stream, text, context);
  },
  more: (stream) => attrScanMoreWith(stream, 0),
};

/** Postfix: attr_scan0(). */
export function attrScan0<const T extends readonly RecvAttr[]>(
  stream: AsyncVStream, flags: number, wants: T): Promise<AttrScanResult<T>> {
  return attrScanWith(ATTR_SCAN0_CODEC, stream, flags, wants);
}

/** Postfix: attr_scan_more0(). */
export function attrScanMore0(stream: AsyncVStream): Promise<number> {
  return ATTR_SCAN0_CODEC.more(stream);
}
