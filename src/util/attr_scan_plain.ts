/*
 * attr_scan_plain - receive attribute lists in the plain encoding: name=value lines and an
 * empty line to end the list (anvil and policy delegation speak this).
 * Counterpart: postfix/src/util/attr_scan_plain.c (the wish-list logic is shared, in
 * attr.ts). The name ends at the first '='; the value runs to the newline, '\r' included.
 */
import {
  attrScanMoreWith, attrScanWith, cString, logToken, warnEndOfInput,
  type AttrScanCodec, type AttrScanResult, type AttrToken, type RecvAttr,
} from './attr.js';
import { base64Decode } from './base64_code.js';
import { msg } from './msg.js';
import { VSTREAM_EOF, type AsyncVStream } from './vstream_async.js';

const EQUALS = 0x3d;
const NEWLINE = 0x0a;
const isNameEnd = (ch: number) => ch === EQUALS || ch === NEWLINE;
const isValueEnd = (ch: number) => ch === NEWLINE;

async function scanPlainString(stream: AsyncVStream, stop: (ch: number) => boolean,
  context: string): Promise<AttrToken | null> {
  const token = await stream.readUntil(stop);
  if (token.ch === VSTREAM_EOF) {
    warnEndOfInput(stream, context);
    return null;
  }
  logToken(context, token.text);
  return token;
}

export const ATTR_SCAN_PLAIN_CODEC: AttrScanCodec = {
  myname: 'attr_scan_plain',
  readName: (stream) => scanPlainString(stream, isNameEnd, 'input attribute name'),
  isEnd: (name) => name.ch === NEWLINE && name.text === '',
  isGroupMark: (name, mark) => name.ch === NEWLINE && cString(name.text) === mark,
  async skipValue(stream, name) {
    if (name.ch !== NEWLINE) await stream.readUntil(isValueEnd);
  },
  async readValue(stream, name, kind) {
    if (name.ch !== EQUALS) {
      msg.warn(`missing value for ${kind} attribute ${cString(name.text)} from ${stream.path}`);
      return null;
    }
    const context = 'input attribute value';
    const value = await scanPlainString(stream, isValueEnd, context);
    if (value === null || kind !== 'data') return value?.text ?? null;
    const data = base64Decode(value.text);
    if (data === null) {
      msg.warn(`malformed base64 data from ${stream.path} while reading ${context}: ${cString(value.text).slice(0, 100)}`);
      return null;
    }
    return data;
  },
  more: (stream) => attrScanMoreWith(stream, NEWLINE),
};

/** Postfix: attr_scan_plain(). */
export function attrScanPlain<const T extends readonly RecvAttr[]>(
  stream: AsyncVStream, flags: number, wants: T): Promise<AttrScanResult<T>> {
  return attrScanWith(ATTR_SCAN_PLAIN_CODEC, stream, flags, wants);
}

/** Postfix: attr_scan_more_plain(). */
export function attrScanMorePlain(stream: AsyncVStream): Promise<number> {
  return ATTR_SCAN_PLAIN_CODEC.more(stream);
}
