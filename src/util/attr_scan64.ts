/*
 * attr_scan64 - receive attribute lists in the base64 encoding: one line per attribute,
 * base64(name):base64(value), and an empty line to end the list.
 * Counterpart: postfix/src/util/attr_scan64.c (the wish-list logic is shared, in attr.ts).
 * Postfix 3.7.11 ships this encoding but no program uses it.
 */
import {
  attrScanMoreWith, attrScanWith, cString, logToken, warnEndOfInput,
  type AttrScanCodec, type AttrScanResult, type AttrToken, type RecvAttr,
} from './attr.js';
import { base64Decode } from './base64_code.js';
import { msg } from './msg.js';
import { VSTREAM_EOF, type AsyncVStream } from './vstream_async.js';

const COLON = 0x3a;
const NEWLINE = 0x0a;
const isSeparator = (ch: number) => ch === COLON || ch === NEWLINE;

/** One base64 token up to ':' or newline, decoded; null after a warning. */
async function scan64String(stream: AsyncVStream, context: string): Promise<AttrToken | null> {
  const { text, ch } = await stream.readUntil(isSeparator);
  if (ch === VSTREAM_EOF) {
    warnEndOfInput(stream, context);
    return null;
  }
  const plain = base64Decode(text);
  if (plain === null) {
    msg.warn(`malformed base64 data from ${stream.path}: ${text.slice(0, 100)}`);
    return null;
  }
  logToken(context, plain);
  return { text: plain, ch };
}

export const ATTR_SCAN64_CODEC: AttrScanCodec = {
  myname: 'attr_scan64',
  readName: (stream) => scan64String(stream, 'input attribute name'),
  isEnd: (name) => name.ch === NEWLINE && name.text === '',
  isGroupMark: (name, mark) => name.ch === NEWLINE && cString(name.text) === mark,
  async skipValue(stream, name) {
    if (name.ch !== NEWLINE) await stream.readUntil((ch) => ch === NEWLINE);
  },
  async readValue(stream, name, kind) {
    if (name.ch !== COLON) {
      msg.warn(`missing value for ${kind} attribute ${cString(name.text)} from ${stream.path}`);
      return null;
    }
    const value = await scan64String(stream, 'input attribute value');
    if (value === null) return null;
    if (value.ch !== NEWLINE) {
      msg.warn(`multiple values for attribute ${cString(name.text)} from ${stream.path}`);
      return null;
    }
    return value.text;
  },
  more: (stream) => attrScanMoreWith(stream, NEWLINE),
};

/** Postfix: attr_scan64(). */
export function attrScan64<const T extends readonly RecvAttr[]>(
  stream: AsyncVStream, flags: number, wants: T): Promise<AttrScanResult<T>> {
  return attrScanWith(ATTR_SCAN64_CODEC, stream, flags, wants);
}

/** Postfix: attr_scan_more64(). */
export function attrScanMore64(stream: AsyncVStream): Promise<number> {
  return ATTR_SCAN64_CODEC.more(stream);
}
