/*
 * record - read and write queue file records: a type byte, the payload length in 7-bit
 * groups (least significant first, bit 0x80 = more follows), then the payload.
 * Counterpart: postfix/src/global/record.c (rec_put, rec_get_raw, rec_goto, rec_pad,
 * rec_put_type) and the read side of VSTREAM that it uses. Differs: an input stream holds
 * the whole file in memory (queue files are bounded by message_size_limit); a pipe stays
 * unseekable, so seeks fail with ESPIPE exactly where Postfix's lseek() would.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync, fsyncSync } from 'node:fs';
import { isatty } from 'node:tty';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { REC_TYPE_DTXT, REC_TYPE_END, REC_TYPE_EOF, REC_TYPE_ERROR, REC_TYPE_PTR } from './rec_type.js';

/** Options for recGetRaw(): which records are handled transparently. */
export const REC_FLAG_NONE = 0;
export const REC_FLAG_FOLLOW_PTR = 1 << 0; // follow pointer records
export const REC_FLAG_SKIP_DTXT = 1 << 1; // skip padding records
export const REC_FLAG_SEEK_END = 1 << 2; // after the end record, go to end of file
export const REC_FLAG_DEFAULT = REC_FLAG_FOLLOW_PTR | REC_FLAG_SKIP_DTXT | REC_FLAG_SEEK_END;

/** The C int that holds the length: a shift of 32 or more is refused. */
const LENGTH_BITS = 32;

/**
 * An input stream on a queue file, standard input or a buffer. Bytes are kept in memory;
 * only the position moves. A read error (a directory, say) reads as end of file and is
 * reported when the stream is closed, as vstream_fclose() does.
 */
export class RecordStream {
  private pos = 0;
  /** errno name of a read error, reported at close. */
  readError: string | undefined;

  constructor(readonly path: string, private readonly data: Buffer, readonly seekable = true, readError?: string) {
    this.readError = readError;
  }

  /** Open a file by name; returns the errno name when open() fails. label: the name in messages. */
  static open(path: string, label = path): RecordStream | string {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      return (err as NodeJS.ErrnoException).code ?? 'EIO';
    }
    try {
      return RecordStream.fromFd(fd, label);
    } finally {
      closeSync(fd);
    }
  }

  /** Read everything from an open descriptor; a FIFO, socket or terminal is not seekable. */
  static fromFd(fd: number, path: string): RecordStream {
    const st = fstatSync(fd);
    const seekable = !(st.isFIFO() || st.isSocket() || (st.isCharacterDevice() && isatty(fd)));
    const chunks: Buffer[] = [];
    let readError: string | undefined;
    const block = Buffer.alloc(65536);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, block, 0, block.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        readError = code ?? 'EIO';
        break;
      }
      if (n === 0) break;
      chunks.push(Buffer.from(block.subarray(0, n)));
    }
    return new RecordStream(path, Buffer.concat(chunks), seekable, readError);
  }

  /** Postfix: VSTREAM_GETC(); -1 at end of file. */
  getc(): number {
    if (this.pos >= this.data.length) return REC_TYPE_EOF;
    return this.data[this.pos++]!;
  }

  /** The next byte without consuming it (getc() then ungetc()). */
  peek(): number {
    return this.pos < this.data.length ? this.data[this.pos]! : REC_TYPE_EOF;
  }

  /** Read exactly len bytes; null (and the position at end of file) when fewer remain. */
  read(len: number): Buffer | null {
    if (this.pos + len > this.data.length) {
      this.pos = Math.max(this.pos, this.data.length);
      return null;
    }
    const out = this.data.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Skip up to len bytes (fewer at end of file). */
  skip(len: number): void {
    if (len > 0) this.pos = Math.min(this.pos + len, Math.max(this.pos, this.data.length));
  }

  /** Postfix: vstream_fseek(); returns an errno name on failure. Seeking past the end is allowed. */
  seek(offset: number, whence: 'set' | 'end' = 'set'): string | undefined {
    if (!this.seekable) return 'ESPIPE';
    const target = whence === 'end' ? this.data.length + offset : offset;
    if (target < 0) return 'EINVAL';
    this.pos = target;
    return undefined;
  }

  /** Postfix: vstream_ftell(); -1 on a stream that cannot seek. */
  tell(): number {
    return this.seekable ? this.pos : -1;
  }

  get size(): number {
    return this.data.length;
  }
}

/** One record as read: its type (or REC_TYPE_EOF/ERROR) and payload. */
export interface Record {
  type: number;
  data: Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * Postfix: rec_get_raw(). Reads one record, applying the transparency flags. Malformed
 * input is warned about (with Postfix's texts) and returns REC_TYPE_ERROR; maxsize 0
 * means no limit.
 */
export function recGetRaw(stream: RecordStream, maxsize: number, flags: number): Record {
  if (maxsize < 0) msg.panic(`rec_get: bad record size limit: ${maxsize}`);
  for (;;) {
    let type = stream.getc();
    if (type === REC_TYPE_EOF) return { type: REC_TYPE_EOF, data: EMPTY };
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift >= LENGTH_BITS) {
        msg.warn(`${stream.path}: too many length bits, record type ${type}`);
        return { type: REC_TYPE_ERROR, data: EMPTY };
      }
      const lenByte = stream.getc();
      if (lenByte === REC_TYPE_EOF) {
        msg.warn(`${stream.path}: unexpected EOF reading length, record type ${type}`);
        return { type: REC_TYPE_ERROR, data: EMPTY };
      }
      // 32-bit arithmetic, as the C int shift: a fifth byte can make the length negative.
      len |= (lenByte & 0x7f) << shift;
      if ((lenByte & 0x80) === 0) break;
    }
    if (len < 0 || (maxsize > 0 && len > maxsize)) {
      msg.warn(`${stream.path}: illegal length ${len}, record type ${type}`);
      stream.skip(len);
      return { type: REC_TYPE_ERROR, data: EMPTY };
    }
    const data = stream.read(len);
    if (data === null) {
      msg.warn(`${stream.path}: unexpected EOF in data, record type ${type} length ${len}`);
      return { type: REC_TYPE_ERROR, data: EMPTY };
    }
    if (msg.verbose > 2) msg.info(`rec_get: type ${String.fromCharCode(type)} len ${len} data ${cString(data).slice(0, 10)}`);
    if (flags === 0) return { type, data };
    if (type === REC_TYPE_PTR && (flags & REC_FLAG_FOLLOW_PTR) !== 0) {
      type = recGoto(stream, cString(data));
      if (type !== REC_TYPE_ERROR) continue;
      return { type, data };
    }
    if (type === REC_TYPE_DTXT && (flags & REC_FLAG_SKIP_DTXT) !== 0) continue;
    if (type === REC_TYPE_END && (flags & REC_FLAG_SEEK_END) !== 0) {
      const err = stream.seek(0, 'end');
      if (err !== undefined) {
        msg.warn(`${stream.path}: seek error after reading END record: ${strerror(err)}`);
        return { type: REC_TYPE_ERROR, data: EMPTY };
      }
    }
    return { type, data };
  }
}

/** Postfix: rec_get(): rec_get_raw() with the default transparency. */
export function recGet(stream: RecordStream, maxsize = 0): Record {
  return recGetRaw(stream, maxsize, REC_FLAG_DEFAULT);
}

/* Loop protection for rec_goto(): reverse jumps per file, as Postfix counts them. */
const REVERSE_JUMP_LIMIT = 10000;
let gotoPath: string | undefined;
let gotoOffset = 0;
let reverseCount = 0;

/**
 * Postfix: rec_goto(). Follow a pointer record: "0" is a placeholder, anything else a
 * file offset (leading white space allowed). Returns 0, or REC_TYPE_ERROR after a warning.
 */
export function recGoto(stream: RecordStream, text: string): number {
  if (gotoPath !== stream.path) {
    gotoPath = stream.path;
    reverseCount = 0;
    gotoOffset = 0;
  }
  const value = text.replace(/^[ \t\n\v\f\r]+/, '');
  const offset = parseOffset(value);
  if (offset < 0) {
    msg.warn(`${stream.path}: malformed pointer record value: ${value}`);
    return REC_TYPE_ERROR;
  }
  if (offset === 0) return 0;
  if (offset <= gotoOffset && ++reverseCount > REVERSE_JUMP_LIMIT) {
    msg.warn(`${stream.path}: too many reverse jump records`);
    return REC_TYPE_ERROR;
  }
  const err = stream.seek(offset);
  if (err !== undefined) {
    msg.warn(`${stream.path}: seek error after pointer record: ${strerror(err)}`);
    return REC_TYPE_ERROR;
  }
  gotoOffset = offset;
  return 0;
}

/** Postfix: off_cvt_string(): all digits (an empty string is 0), -1 otherwise or on overflow. */
export function parseOffset(text: string): number {
  if (!/^[0-9]*$/.test(text)) return -1;
  const value = text === '' ? 0n : BigInt(text);
  return value > 0x7fffffffffffffffn ? -1 : Number(value);
}

/** The payload as C code sees it through "%s": up to the first null byte. */
export function cString(data: Buffer): string {
  const nul = data.indexOf(0);
  return (nul < 0 ? data : data.subarray(0, nul)).toString('latin1');
}

/** Postfix: rec_put(), as bytes: type, base-128 length, payload. */
export function recEncode(type: number, payload: Buffer | string): Buffer {
  if (type < 0 || type > 255) msg.panic(`rec_put: bad record type ${type}`);
  const data = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  const head: number[] = [type];
  let rest = data.length;
  do {
    let lenByte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest !== 0) lenByte |= 0x80;
    head.push(lenByte);
  } while (rest !== 0);
  return Buffer.concat([Buffer.from(head), data]);
}

/** Postfix: rec_pad(): a record of exactly len bytes including its 2-byte header ("   0"). */
export function recPadPayload(len: number): string {
  const width = len - 2;
  return '0'.padStart(width < 1 ? 1 : width, ' ');
}

/**
 * A line of message text as records: pieces of exactly limit bytes as REC_TYPE_CONT,
 * the rest as lastType (REC_TYPE_NORM for a line that ended in a newline). Postfix:
 * the line splitting in rec_streamlf_get() and cleanup_out_string().
 */
export function textLineRecords(line: Buffer | string, limit: number, lastType: number): Array<[number, Buffer]> {
  const data = typeof line === 'string' ? Buffer.from(line, 'latin1') : line;
  const out: Array<[number, Buffer]> = [];
  let off = 0;
  while (data.length - off > limit) {
    out.push([0x4c /* 'L' */, data.subarray(off, off + limit)]);
    off += limit;
  }
  out.push([lastType, data.subarray(off)]);
  return out;
}

/**
 * Appends records to a file descriptor and knows each record's offset, so that fixed-width
 * records (size, warning time, pointers) and type bytes can be updated in place later.
 * Counterpart: rec_put()/rec_fprintf()/rec_put_type() on a VSTREAM opened O_RDWR.
 */
export class RecordWriter {
  private chunks: Buffer[] = [];
  private pending = 0;
  private written = 0;

  constructor(readonly fd: number, readonly path: string) {}

  /** File offset where the next record starts. */
  get offset(): number {
    return this.written + this.pending;
  }

  /** Postfix: rec_put(); returns the offset of the record. */
  put(type: number, payload: Buffer | string = EMPTY): number {
    const at = this.offset;
    const rec = recEncode(type, payload);
    this.chunks.push(rec);
    this.pending += rec.length;
    if (this.pending >= 65536) this.flush();
    return at;
  }

  /** Write what is buffered. Throws the system error (the caller decides how fatal it is). */
  flush(): void {
    if (this.pending === 0) return;
    const data = Buffer.concat(this.chunks);
    this.chunks = [];
    this.pending = 0;
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off, this.written + off);
    this.written += data.length;
  }

  /** Overwrite bytes at an earlier offset (after flushing): Postfix rec_put_type() and friends. */
  overwrite(offset: number, bytes: Buffer | string): void {
    this.flush();
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    if (offset + data.length > this.written) msg.panic(`${this.path}: overwrite past end of file at ${offset}`);
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off, offset + off);
  }

  /** Flush and fsync: the file content is on disk before anyone is told it is there. */
  sync(): void {
    this.flush();
    fsyncSync(this.fd);
  }
}

/**
 * Overwrite the payload of a fixed-width record (W, p, C fields) at offset in place, as
 * qmgr does when it marks the delay warning sent ("-1"). The width must not change.
 */
export function recUpdatePayload(fd: number, offset: number, oldLength: number, payload: string): void {
  if (payload.length !== oldLength) msg.panic(`rec_update: payload length ${payload.length} differs from ${oldLength}`);
  // A one-byte length (payloads below 128 bytes) puts the payload 2 bytes after the type.
  if (oldLength >= 128) msg.panic(`rec_update: payload too long for in-place update: ${oldLength}`);
  writeSync(fd, Buffer.from(payload, 'latin1'), 0, payload.length, offset + 2);
}

/** Postfix: rec_put_type(): change the type byte of the record at offset, in place. */
export function recPutType(fd: number, type: number, offset: number): void {
  if (type < 0 || type > 255) msg.panic(`rec_put_type: bad record type ${type}`);
  writeSync(fd, Buffer.from([type]), 0, 1, offset);
}

/**
 * Records from a byte stream that arrives in pieces (a socket, a pipe): an async iterator
 * over the records of the stream. Pointer and padding records are passed through, since a
 * stream cannot seek. A malformed length, a record over maxsize or a stream that ends
 * inside a record ends the iteration with a REC_TYPE_ERROR record, after a warning in
 * rec_get_raw()'s words; a clean end of stream just ends it. maxsize 0: no limit.
 * Counterpart: rec_get_raw() on a VSTREAM connected to a peer (cleanup reading from
 * pickup or smtpd, postdrop reading from sendmail).
 */
export async function* readRecordsAsync(source: AsyncIterable<Buffer>, path: string, maxsize = 0): AsyncGenerator<Record> {
  let pending: Buffer = Buffer.alloc(0);
  let ended = false;
  const iterator = source[Symbol.asyncIterator]();
  const fill = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return false;
    }
    pending = pending.length === 0 ? next.value : Buffer.concat([pending, next.value]);
    return true;
  };
  const fail = (text: string): Record => {
    msg.warn(`${path}: ${text}`);
    return { type: REC_TYPE_ERROR, data: EMPTY };
  };
  for (;;) {
    while (pending.length === 0) if (!(await fill())) return;
    const type = pending[0]!;
    let len = 0;
    let used = 1;
    for (let shift = 0; ; shift += 7) {
      if (shift >= LENGTH_BITS) {
        yield fail(`too many length bits, record type ${type}`);
        return;
      }
      while (pending.length <= used) {
        if (!(await fill())) {
          yield fail(`unexpected EOF reading length, record type ${type}`);
          return;
        }
      }
      const lenByte = pending[used++]!;
      len |= (lenByte & 0x7f) << shift;
      if ((lenByte & 0x80) === 0) break;
    }
    if (len < 0 || (maxsize > 0 && len > maxsize)) {
      yield fail(`illegal length ${len}, record type ${type}`);
      return;
    }
    while (pending.length < used + len) {
      if (!(await fill())) {
        yield fail(`unexpected EOF in data, record type ${type} length ${len}`);
        return;
      }
    }
    const data = Buffer.from(pending.subarray(used, used + len));
    pending = pending.subarray(used + len);
    yield { type, data };
  }
}
