/*
 * attr - attribute lists: the types, flags and receiving logic shared by the three wire
 * encodings (attr_print0/attr_scan0, attr_print64/attr_scan64, attr_print_plain/...).
 * Counterpart: postfix/src/util/attr.h and the common part of attr_scan0.c, attr_scan64.c
 * and attr_scan_plain.c. The C varargs (type, name, pointer) become arrays of SendAttr and
 * RecvAttr objects; a scan returns the conversion count and the values in wish-list order,
 * so duplicate names (resolve's two "flags") keep their positions. Names and string values
 * are byte strings; like C strings they end at the first NUL.
 */
import { msg } from './msg.js';
import { base64Decode } from './base64_code.js';
import { printable } from './printable.js';
import { VSTREAM_EOF, VSTREAM_LIMIT, type AsyncVStream } from './vstream_async.js';

export const ATTR_TYPE_END = 0;
export const ATTR_TYPE_INT = 1;
export const ATTR_TYPE_NUM = ATTR_TYPE_INT;
export const ATTR_TYPE_STR = 2;
export const ATTR_TYPE_HASH = 3;
export const ATTR_TYPE_NV = 3;
export const ATTR_TYPE_LONG = 4;
export const ATTR_TYPE_DATA = 5;
export const ATTR_TYPE_FUNC = 6;
export const ATTR_TYPE_STREQ = 7;

export const ATTR_NAME_OPEN = '{';
export const ATTR_NAME_CLOSE = '}';
export const ATTR_HASH_LIMIT = 1024;

export const ATTR_FLAG_NONE = 0;
/** Warn when the list ends before every wanted attribute arrived. */
export const ATTR_FLAG_MISSING = 1 << 0;
/** An attribute nobody asked for ends the scan (with a warning). */
export const ATTR_FLAG_EXTRA = 1 << 1;
/** Neither write nor expect the end-of-list marker: more attributes follow. */
export const ATTR_FLAG_MORE = 1 << 2;
/** Replace unprintable bytes in received strings with '?'. */
export const ATTR_FLAG_PRINTABLE = 1 << 3;
export const ATTR_FLAG_STRICT = ATTR_FLAG_MISSING | ATTR_FLAG_EXTRA;
export const ATTR_FLAG_ALL = 0o17;

/* ------------------------------------------------------------------ sending */

/** Writes one attribute list (without or with its end marker) as bytes. */
export type AttrPrinter = (flags: number, attrs: readonly SendAttr[]) => string;

export type SendAttr =
  | { type: typeof ATTR_TYPE_INT; name: string; value: number }
  | { type: typeof ATTR_TYPE_LONG; name: string; value: number | bigint }
  | { type: typeof ATTR_TYPE_STR; name: string; value: string }
  | { type: typeof ATTR_TYPE_DATA; name: string; value: string | Buffer }
  | { type: typeof ATTR_TYPE_HASH; value: Iterable<readonly [string, string]> }
  | { type: typeof ATTR_TYPE_FUNC; print: (print: AttrPrinter, flags: number) => string };

/** Postfix: SEND_ATTR_INT(). Negative values go out as their unsigned 32-bit twin. */
export const sendAttrInt = (name: string, value: number): SendAttr => ({ type: ATTR_TYPE_INT, name, value });
/** Postfix: SEND_ATTR_LONG(). */
export const sendAttrLong = (name: string, value: number | bigint): SendAttr => ({ type: ATTR_TYPE_LONG, name, value });
/** Postfix: SEND_ATTR_STR(). */
export const sendAttrStr = (name: string, value: string): SendAttr => ({ type: ATTR_TYPE_STR, name, value });
/** Postfix: SEND_ATTR_DATA(): raw bytes, a Buffer or a byte string. */
export const sendAttrData = (name: string, value: string | Buffer): SendAttr => ({ type: ATTR_TYPE_DATA, name, value });
/** Postfix: SEND_ATTR_HASH(): a "{ ... }" group of name/value pairs, in iteration order. */
export const sendAttrHash = (value: Iterable<readonly [string, string]>): SendAttr => ({ type: ATTR_TYPE_HASH, value });
/** Postfix: SEND_ATTR_FUNC(): a custom printer, called with ATTR_FLAG_MORE added. */
export const sendAttrFunc = (print: (print: AttrPrinter, flags: number) => string): SendAttr =>
  ({ type: ATTR_TYPE_FUNC, print });

/** The C string view of a byte string: everything before the first NUL. */
export function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/** "%u" of a C int. */
function formatUnsigned(value: number): string {
  return String(value >>> 0);
}

/** "%lu" of a C long. */
function formatUnsignedLong(value: number | bigint): string {
  return BigInt.asUintN(64, BigInt(value)).toString();
}

/** The bytes of a DATA value. */
function dataBytes(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
}

function checkPrintFlags(myname: string, flags: number): void {
  if (flags & ~ATTR_FLAG_ALL) msg.panic(`${myname}: bad flags: 0x${flags.toString(16)}`);
}

/** Postfix: the msg_verbose lines that every attr_print*() logs. */
function logSentAttr(attr: SendAttr): void {
  switch (attr.type) {
    case ATTR_TYPE_INT:
      msg.info(`send attr ${attr.name} = ${formatUnsigned(attr.value)}`);
      break;
    case ATTR_TYPE_LONG:
      msg.info(`send attr ${attr.name} = ${formatUnsignedLong(attr.value)}`);
      break;
    case ATTR_TYPE_STR:
      msg.info(`send attr ${attr.name} = ${cString(attr.value)}`);
      break;
    case ATTR_TYPE_DATA:
      msg.info(`send attr ${attr.name} = [data ${attr.value.length} bytes]`);
      break;
    default:
      break;
  }
}

/** Postfix: the msg_verbose line for each hash entry sent. */
function logSentHashEntry(key: string, value: string): void {
  if (msg.verbose) msg.info(`send attr name ${key} value ${value}`);
}

/** How one encoding writes what all encodings share. */
export interface AttrPrintStyle {
  myname: string;
  /** One attribute; name and value are ready (C strings, numbers formatted, data converted). */
  pair(name: string, value: string): string;
  /** The value text of DATA bytes. */
  data(bytes: Buffer): string;
  groupOpen: string;
  groupClose: string;
  end: string;
}

/**
 * Postfix: attr_vprint0(), attr_vprint64(), attr_vprint_plain(): one walk over the list,
 * the bytes from the encoding's style, then the end marker unless ATTR_FLAG_MORE.
 */
export function encodeAttrWith(style: AttrPrintStyle, flags: number, attrs: readonly SendAttr[]): string {
  checkPrintFlags(style.myname, flags);
  const self: AttrPrinter = (f, a) => encodeAttrWith(style, f, a);
  const parts: string[] = [];
  for (const attr of attrs) {
    switch (attr.type) {
      case ATTR_TYPE_INT:
        parts.push(style.pair(cString(attr.name), formatUnsigned(attr.value)));
        break;
      case ATTR_TYPE_LONG:
        parts.push(style.pair(cString(attr.name), formatUnsignedLong(attr.value)));
        break;
      case ATTR_TYPE_STR:
        parts.push(style.pair(cString(attr.name), cString(attr.value)));
        break;
      case ATTR_TYPE_DATA:
        parts.push(style.pair(cString(attr.name), style.data(dataBytes(attr.value))));
        break;
      case ATTR_TYPE_FUNC:
        parts.push(attr.print(self, flags | ATTR_FLAG_MORE));
        break;
      case ATTR_TYPE_HASH:
        parts.push(style.groupOpen);
        for (const [key, value] of attr.value) {
          parts.push(style.pair(cString(key), cString(value)));
          logSentHashEntry(key, value);
        }
        parts.push(style.groupClose);
        break;
    }
    if (msg.verbose) logSentAttr(attr);
  }
  if ((flags & ATTR_FLAG_MORE) === 0) parts.push(style.end);
  return parts.join('');
}

/** Postfix: attr_print*() on a stream: queue the bytes; nonzero if the stream had an error. */
export function writeAttrList(stream: AsyncVStream, encoded: string): number {
  stream.write(encoded);
  return stream.error !== null || stream.timedOut ? -1 : 0;
}

/* ---------------------------------------------------------------- receiving */

export type RecvAttr =
  | { type: typeof ATTR_TYPE_INT; name: string }
  | { type: typeof ATTR_TYPE_LONG; name: string }
  | { type: typeof ATTR_TYPE_STR; name: string }
  | { type: typeof ATTR_TYPE_DATA; name: string }
  | { type: typeof ATTR_TYPE_STREQ; name: string; expect: string }
  | { type: typeof ATTR_TYPE_HASH; table: Map<string, string> }
  | { type: typeof ATTR_TYPE_FUNC; scan: AttrScanFunc };

/** A custom receiver: reads a nested part with the scanner given (flags include MORE). */
export type AttrScanFunc = (scan: AttrScanner, stream: AsyncVStream, flags: number) => Promise<number>;

/** Reads one attribute list against a wish list. */
export type AttrScanner = <const T extends readonly RecvAttr[]>(
  stream: AsyncVStream, flags: number, wants: T) => Promise<AttrScanResult<T>>;

/**
 * Postfix: RECV_ATTR_INT(). The value is the C int the caller sees: the unsigned wire
 * number reinterpreted as signed 32 bits (4294967295 is -1).
 */
export const recvAttrInt = (name: string) => ({ type: ATTR_TYPE_INT, name }) as const;
/** Postfix: RECV_ATTR_LONG(); reinterpreted as a signed 64-bit long. */
export const recvAttrLong = (name: string) => ({ type: ATTR_TYPE_LONG, name }) as const;
/** Postfix: RECV_ATTR_STR(). */
export const recvAttrStr = (name: string) => ({ type: ATTR_TYPE_STR, name }) as const;
/** Postfix: RECV_ATTR_DATA(); a Buffer. */
export const recvAttrData = (name: string) => ({ type: ATTR_TYPE_DATA, name }) as const;
/** Postfix: RECV_ATTR_STREQ(): the attribute must be there with this value; not counted. */
export const recvAttrStreq = (name: string, expect: string) => ({ type: ATTR_TYPE_STREQ, name, expect }) as const;
/** Postfix: RECV_ATTR_HASH(): every remaining attribute, or one "{ ... }" group. */
export const recvAttrHash = (table: Map<string, string> = new Map()) => ({ type: ATTR_TYPE_HASH, table }) as const;
/** Postfix: RECV_ATTR_FUNC(). */
export const recvAttrFunc = (scan: AttrScanFunc) => ({ type: ATTR_TYPE_FUNC, scan }) as const;

type RecvValue<R> =
  R extends { type: typeof ATTR_TYPE_INT | typeof ATTR_TYPE_LONG } ? number
    : R extends { type: typeof ATTR_TYPE_STR } ? string
      : R extends { type: typeof ATTR_TYPE_DATA } ? Buffer
        : R extends { type: typeof ATTR_TYPE_HASH } ? Map<string, string>
          : undefined;

export type RecvValues<T extends readonly RecvAttr[]> = { -readonly [K in keyof T]: RecvValue<T[K]> };

export interface AttrScanResult<T extends readonly RecvAttr[]> {
  /** Conversions made (STREQ does not count, each hash entry does), or -1: malformed input. */
  count: number;
  /** One per wanted attribute, in order; zero values for what did not arrive. */
  values: RecvValues<T>;
}

/** The name token just read, and the byte that ended it (an encoding-specific separator). */
export interface AttrToken {
  text: string;
  ch: number;
}

/** What distinguishes the three encodings on the receiving side. */
export interface AttrScanCodec {
  myname: string;
  /** The next attribute name; null after a warning (end of input or malformed). */
  readName(stream: AsyncVStream): Promise<AttrToken | null>;
  /** Is this the end-of-list marker? */
  isEnd(name: AttrToken): boolean;
  /** Is this the bare "{" or "}" that opens or closes a group? */
  isGroupMark(name: AttrToken, mark: string): boolean;
  /** Discard the value of an attribute nobody asked for. */
  skipValue(stream: AsyncVStream, name: AttrToken): Promise<void>;
  /** The value text (for 'data': already decoded); null after a warning. */
  readValue(stream: AsyncVStream, name: AttrToken, kind: 'number' | 'string' | 'data'): Promise<string | null>;
  /** Postfix: attr_scan_more*(): 0 end of list (consumed), 1 more follows, -1 end of input. */
  more(stream: AsyncVStream): Promise<number>;
}

/** The "%s on %s while reading %s" warning at end of input or timeout, or the length limit one. */
export function warnTokenEnd(stream: AsyncVStream, ch: number, context: string): void {
  if (ch === VSTREAM_LIMIT) {
    msg.warn(`string length > ${stream.tokenLimit} characters from ${stream.path} while reading ${context}`);
  } else {
    warnEndOfInput(stream, context);
  }
}

/** Postfix: the "%s on %s while reading %s" warning at end of input or timeout. */
function warnEndOfInput(stream: AsyncVStream, context: string): void {
  msg.warn(`${stream.timedOut ? 'timeout' : 'premature end-of-input'} on ${stream.path} while reading ${context}`);
}

/** Postfix: the msg_verbose line logged for each token read. */
export function logToken(context: string, text: string): void {
  if (msg.verbose) msg.info(`${context}: ${cString(text) || '(end)'}`);
}

/** Postfix: the number check, sscanf("%u%c") or sscanf("%lu%c") with one item. */
function parseUnsigned(text: string, bits: 32 | 64): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(cString(text));
  if (m === null) return null;
  const max = (1n << 64n) - 1n;
  let value = BigInt(m[2]!);
  if (value > max) value = max; // strtoul() saturates
  else if (m[1] === '-') value = BigInt.asUintN(64, -value);
  return BigInt.asUintN(bits, value);
}

/** Parse a number the way the C scanners do; warns and gives null when it is malformed. */
function scanNumber(stream: AsyncVStream, text: string, bits: 32 | 64, context: string): number | null {
  const value = parseUnsigned(text, bits);
  if (value === null) {
    msg.warn(`malformed numerical data from ${stream.path} while reading ${context}: ${cString(text).slice(0, 100)}`);
    return null;
  }
  return Number(BigInt.asIntN(bits, value));
}

function zeroValue(want: RecvAttr): unknown {
  switch (want.type) {
    case ATTR_TYPE_INT:
    case ATTR_TYPE_LONG:
      return 0;
    case ATTR_TYPE_STR:
      return '';
    case ATTR_TYPE_DATA:
      return Buffer.alloc(0);
    case ATTR_TYPE_HASH:
      return want.table;
    default:
      return undefined;
  }
}

const WANT_END = '(list terminator)';
const WANT_ANY = '(any attribute name or list terminator)';
const WANT_ANY_OR_CLOSE = "(any attribute name or '}')";
const VALUE = 'input attribute value';

/**
 * Postfix: attr_vscan0(), attr_vscan64(), attr_vscan_plain(): one engine, three codecs.
 * Walks the wish list in order; attributes nobody asked for are skipped (or, with
 * ATTR_FLAG_EXTRA, end the scan without consuming their value).
 */
export async function attrScanWith<const T extends readonly RecvAttr[]>(
  codec: AttrScanCodec, stream: AsyncVStream, flags: number, wants: T): Promise<AttrScanResult<T>> {
  if (flags & ~ATTR_FLAG_ALL) msg.panic(`${codec.myname}: bad flags: 0x${flags.toString(16)}`);
  const values = wants.map(zeroValue) as RecvValues<T>;
  const result = (count: number): AttrScanResult<T> => ({ count, values });

  // A stream that is already at its end is not an error: the caller sees 0 conversions.
  const first = await stream.getc();
  if (first === VSTREAM_EOF) return result(0);
  stream.ungetc(first);

  const scanner: AttrScanner = (s, f, w) => attrScanWith(codec, s, f, w);
  let index = -1; // position in wants
  let want: RecvAttr | undefined;
  let inGroup = false; // inside "{ ... }" while filling a hash
  let conversions = 0;
  for (;; conversions++) {
    // The next wish, unless a hash is still collecting.
    let wantedName = '';
    if (want?.type !== ATTR_TYPE_HASH) {
      want = wants[++index];
      inGroup = false;
      if (want === undefined) {
        if (flags & ATTR_FLAG_MORE) return result(conversions);
        wantedName = WANT_END;
      } else if (want.type !== ATTR_TYPE_FUNC && want.type !== ATTR_TYPE_HASH) {
        wantedName = want.name;
      }
    }
    if (want?.type === ATTR_TYPE_HASH) wantedName = inGroup ? WANT_ANY_OR_CLOSE : WANT_ANY;

    // Find the next attribute of interest in the input.
    let name: AttrToken | undefined;
    let groupClosed = false;
    while (want?.type !== ATTR_TYPE_FUNC) {
      if (msg.verbose) msg.info(`${stream.path}: wanted attribute: ${wantedName}`);
      const token = await codec.readName(stream);
      if (token === null) return result(-1);
      if (codec.isEnd(token)) {
        if (want === undefined || (want.type === ATTR_TYPE_HASH && !inGroup)) return result(conversions);
        if (flags & ATTR_FLAG_MISSING) msg.warn(`missing attribute ${wantedName} in input from ${stream.path}`);
        return result(conversions);
      }
      if (want?.type === ATTR_TYPE_HASH) {
        if (!inGroup && codec.isGroupMark(token, ATTR_NAME_OPEN)) {
          inGroup = true;
          wantedName = WANT_ANY_OR_CLOSE;
          continue;
        }
        if (inGroup && codec.isGroupMark(token, ATTR_NAME_CLOSE)) {
          groupClosed = true;
          break;
        }
        name = token;
        break;
      }
      if (want !== undefined && cString(token.text) === want.name) {
        name = token;
        break;
      }
      if (flags & ATTR_FLAG_EXTRA) {
        msg.warn(`unexpected attribute ${cString(token.text)} from ${stream.path} (expecting: ${wantedName})`);
        return result(conversions);
      }
      await codec.skipValue(stream, token);
    }

    // The group is complete: go on with the next wish; the close mark is no conversion.
    if (groupClosed) {
      want = undefined;
      conversions -= 1;
      continue;
    }
    const slot = values as unknown[];
    switch (want!.type) {
      case ATTR_TYPE_INT:
      case ATTR_TYPE_LONG: {
        const text = await codec.readValue(stream, name!, 'number');
        if (text === null) return result(-1);
        const value = scanNumber(stream, text, want!.type === ATTR_TYPE_INT ? 32 : 64, VALUE);
        if (value === null) return result(-1);
        slot[index] = value;
        break;
      }
      case ATTR_TYPE_STR: {
        const text = await codec.readValue(stream, name!, 'string');
        if (text === null) return result(-1);
        slot[index] = flags & ATTR_FLAG_PRINTABLE ? printable(cString(text), '?') : cString(text);
        break;
      }
      case ATTR_TYPE_DATA: {
        const text = await codec.readValue(stream, name!, 'data');
        if (text === null) return result(-1);
        slot[index] = Buffer.from(text, 'latin1');
        break;
      }
      case ATTR_TYPE_FUNC:
        if ((await want!.scan(scanner, stream, flags | ATTR_FLAG_MORE)) < 0) return result(-1);
        break;
      case ATTR_TYPE_STREQ: {
        const text = await codec.readValue(stream, name!, 'string');
        if (text === null) return result(-1);
        if (cString(text) !== want!.expect) {
          msg.warn(`unexpected ${cString(name!.text)} ${cString(text)} from ${stream.path} (expected: ${want!.expect})`);
          return result(-1);
        }
        conversions -= 1;
        break;
      }
      case ATTR_TYPE_HASH: {
        const text = await codec.readValue(stream, name!, 'string');
        if (text === null) return result(-1);
        let key = cString(name!.text);
        let value = cString(text);
        if (flags & ATTR_FLAG_PRINTABLE) {
          key = printable(key, '?');
          value = printable(value, '?');
        }
        const table = want!.table;
        if (table.has(key)) {
          if (flags & ATTR_FLAG_EXTRA) {
            msg.warn(`duplicate attribute ${key} in input from ${stream.path}`);
            return result(conversions);
          }
        } else if (table.size >= ATTR_HASH_LIMIT) {
          msg.warn(`attribute count exceeds limit ${ATTR_HASH_LIMIT} in input from ${stream.path}`);
          return result(conversions);
        } else {
          table.set(key, value);
        }
        break;
      }
    }
  }
}

/** Postfix: the verbose lines of attr_scan_more*(). */
function logMore(stream: AsyncVStream, ch: number): void {
  if (!msg.verbose) return;
  if (ch === VSTREAM_EOF) msg.info(`${stream.path}: EOF`);
  else msg.info(`${stream.path}: non-terminator '${String.fromCharCode(ch)}' (lookahead)`);
}

/** Postfix: attr_scan_more*(): peek one byte; the terminator byte is consumed. */
export async function attrScanMoreWith(stream: AsyncVStream, terminator: number): Promise<number> {
  const ch = await stream.getc();
  if (ch === terminator) {
    if (msg.verbose) msg.info(`${stream.path}: terminator (consumed)`);
    return 0;
  }
  logMore(stream, ch);
  if (ch === VSTREAM_EOF) return -1;
  stream.ungetc(ch);
  return 1;
}

/** Postfix: base64-decode a DATA value (NUL and plain encodings); null after a warning. */
export function decodeDataValue(stream: AsyncVStream, text: string, context: string): string | null {
  const data = base64Decode(text);
  if (data === null) {
    msg.warn(`malformed base64 data from ${stream.path} while reading ${context}: ${cString(text).slice(0, 100)}`);
  }
  return data;
}

const NEWLINE = 0x0a;

/**
 * The receiving side of the two line encodings, base64 (name:value) and plain
 * (name=value): a list ends with an empty line, a group mark is a line of its own.
 * base64 decodes every token; plain takes the value as is up to the newline.
 */
export function lineScanCodec(myname: string, separator: string, base64: boolean): AttrScanCodec {
  const sep = separator.charCodeAt(0);
  const nameEnd = (ch: number) => ch === sep || ch === NEWLINE;
  const valueEnd = base64 ? nameEnd : (ch: number) => ch === NEWLINE;
  const token = async (stream: AsyncVStream, stop: (ch: number) => boolean, context: string): Promise<AttrToken | null> => {
    const { text, ch } = await stream.readUntil(stop, stream.tokenLimit);
    if (ch < 0) {
      warnTokenEnd(stream, ch, context);
      return null;
    }
    const plain = base64 ? base64Decode(text) : text;
    if (plain === null) {
      msg.warn(`malformed base64 data from ${stream.path}: ${text.slice(0, 100)}`);
      return null;
    }
    logToken(context, plain);
    return { text: plain, ch };
  };
  return {
    myname,
    readName: (stream) => token(stream, nameEnd, 'input attribute name'),
    isEnd: (name) => name.ch === NEWLINE && name.text === '',
    isGroupMark: (name, mark) => name.ch === NEWLINE && cString(name.text) === mark,
    async skipValue(stream, name) {
      if (name.ch !== NEWLINE) await stream.readUntil((ch) => ch === NEWLINE, 0, false);
    },
    async readValue(stream, name, kind) {
      if (name.ch !== sep) {
        msg.warn(`missing value for ${kind} attribute ${cString(name.text)} from ${stream.path}`);
        return null;
      }
      const context = 'input attribute value';
      const value = await token(stream, valueEnd, context);
      if (value === null) return null;
      if (value.ch !== NEWLINE) {
        msg.warn(`multiple values for attribute ${cString(name.text)} from ${stream.path}`);
        return null;
      }
      return kind === 'data' && !base64 ? decodeDataValue(stream, value.text, context) : value.text;
    },
    more: (stream) => attrScanMoreWith(stream, NEWLINE),
  };
}
