/*
 * vstream_async - a buffered byte stream over a Node socket or a pair of pipes, with
 * per-operation timeouts, for the attribute protocol and other IPC.
 * Counterpart: the read/write, timeout and deadline parts of postfix/src/util/vstream.c.
 * Bytes are exposed as byte strings (latin1). As in VSTREAM, pending output is flushed
 * before a read waits for input, a timeout or error sticks to the stream, and a stream
 * has a path (VSTREAM_PATH) that diagnostics name. Unlike VSTREAM, reads are async.
 */
import type { Readable, Writable } from 'node:stream';

/** Postfix: VSTREAM_EOF. */
export const VSTREAM_EOF = -1;
/** readUntil() stopped at its length limit. */
export const VSTREAM_LIMIT = -2;

export interface AsyncVStreamOptions {
  /** What diagnostics call this stream; Postfix: VSTREAM_CTL_PATH. */
  path: string;
  /** Seconds to wait for each read or flush; 0 waits forever. Postfix: VSTREAM_CTL_TIMEOUT. */
  timeout?: number;
  /** Longest attribute name or value the attribute readers accept; 0: no limit. */
  tokenLimit?: number;
}

export class AsyncVStream {
  path: string;
  /** Seconds; see AsyncVStreamOptions. */
  timeout: number;
  /**
   * See AsyncVStreamOptions. XXX Postfix 3.7.11 compiles its equivalent check out, so the
   * default is no limit; a program that talks to untrusted peers should set one.
   */
  tokenLimit: number;
  /** The last I/O error; Postfix: vstream_ferror() plus errno. */
  error: NodeJS.ErrnoException | null = null;
  /** Set once a read or write took longer than the timeout; Postfix: vstream_ftimeout(). */
  timedOut = false;

  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private ended = false;
  private wake: (() => void) | null = null;
  private pending: Buffer[] = [];
  private deadline = 0; // ms since epoch; 0: none

  constructor(readonly input: Readable | null, readonly output: Writable | null, opts: AsyncVStreamOptions) {
    this.path = opts.path;
    this.timeout = opts.timeout ?? 0;
    this.tokenLimit = opts.tokenLimit ?? 0;
    if (input !== null) {
      input.on('readable', () => this.notify());
      input.on('end', () => {
        this.ended = true;
        this.notify();
      });
      input.on('close', () => {
        this.ended = true;
        this.notify();
      });
      input.on('error', (err: NodeJS.ErrnoException) => this.fail(err));
    }
    if (output !== null && output !== (input as unknown)) {
      output.on('error', (err: NodeJS.ErrnoException) => this.fail(err));
    }
  }

  private fail(err: NodeJS.ErrnoException): void {
    this.error ??= err;
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /**
   * Postfix: VSTREAM_CTL_START_DEADLINE. From now on the timeout bounds the total time of
   * all reads and writes together, not each one; stopDeadline() goes back to per-call.
   */
  startDeadline(): void {
    this.deadline = this.timeout > 0 ? Date.now() + this.timeout * 1000 : 0;
  }

  stopDeadline(): void {
    this.deadline = 0;
  }

  /** Milliseconds the next wait may take, or 0 for no limit. */
  private waitLimit(): number {
    if (this.deadline > 0) return Math.max(1, this.deadline - Date.now());
    return this.timeout > 0 ? this.timeout * 1000 : 0;
  }

  /** Wait for an event or the time limit; true when the limit struck first. */
  private async waitEvent(limitMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      if (limitMs > 0) {
        timer = setTimeout(() => {
          expired = true;
          this.notify();
        }, limitMs);
      }
    });
    if (timer !== undefined) clearTimeout(timer);
    return expired;
  }

  /** Bytes buffered and not yet read. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  /** Get more input into the buffer; false at end of input, error or timeout. */
  private async fill(): Promise<boolean> {
    if (this.pending.length > 0 && !(await this.flush())) return false;
    for (;;) {
      if (this.timedOut || this.error !== null || this.input === null) return false;
      const chunk = this.input.read() as Buffer | string | null;
      if (chunk !== null) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
        this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), bytes]) : bytes;
        this.pos = 0;
        return true;
      }
      if (this.ended || this.input.readableEnded || this.input.destroyed) return false;
      if (await this.waitEvent(this.waitLimit())) {
        this.timedOut = true;
        return false;
      }
    }
  }

  /** Postfix: VSTREAM_GETC(). One byte, or VSTREAM_EOF. */
  async getc(): Promise<number> {
    if (this.pos >= this.buf.length && !(await this.fill())) return VSTREAM_EOF;
    return this.buf[this.pos++]!;
  }

  /** Postfix: vstream_ungetc(); only the byte just read. */
  ungetc(ch: number): void {
    if (ch !== VSTREAM_EOF && this.pos > 0) this.pos--;
  }

  /**
   * Read bytes up to (not including) the first byte that stop() accepts. Returns the text
   * and that byte, consumed; or VSTREAM_EOF when input ended first; or VSTREAM_LIMIT after
   * limit bytes (limit > 0) without a stop byte. With keep false the text is discarded.
   */
  async readUntil(stop: (ch: number) => boolean, limit = 0, keep = true): Promise<{ text: string; ch: number }> {
    const parts: string[] = [];
    let length = 0;
    for (;;) {
      let i = this.pos;
      const end = limit > 0 ? Math.min(this.buf.length, this.pos + limit - length + 1) : this.buf.length;
      while (i < end && !stop(this.buf[i]!)) i++;
      if (keep) parts.push(this.buf.toString('latin1', this.pos, i));
      length += i - this.pos;
      if (i < this.buf.length && i < end) {
        this.pos = i + 1;
        return { text: parts.join(''), ch: this.buf[i]! };
      }
      this.pos = i;
      if (limit > 0 && length > limit) return { text: parts.join(''), ch: VSTREAM_LIMIT };
      if (!(await this.fill())) return { text: parts.join(''), ch: VSTREAM_EOF };
    }
  }

  /** Up to max bytes: whatever is buffered, or one read's worth; '' at end of input. */
  async read(max: number): Promise<string> {
    if (this.pos >= this.buf.length && !(await this.fill())) return '';
    const end = Math.min(this.buf.length, this.pos + max);
    const text = this.buf.toString('latin1', this.pos, end);
    this.pos = end;
    return text;
  }

  /** Queue output; written by flush(), or before the next read. */
  write(data: string | Buffer): void {
    if (data.length > 0) this.pending.push(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Postfix: vstream_fflush(). False after an error or timeout. */
  async flush(): Promise<boolean> {
    if (this.pending.length === 0) return this.error === null && !this.timedOut;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    const out = this.output;
    if (out === null || this.error !== null || this.timedOut || out.destroyed) {
      this.error ??= Object.assign(new Error('write after end'), { code: 'EPIPE' });
      return false;
    }
    let done = false;
    const written = new Promise<void>((resolve) => {
      out.write(data, (err) => {
        if (err) this.fail(err as NodeJS.ErrnoException);
        done = true;
        resolve();
        this.notify();
      });
    });
    const limit = this.waitLimit();
    while (!done && this.error === null) {
      if (await Promise.race([written.then(() => false), this.waitEvent(limit)])) {
        this.timedOut = true;
        return false;
      }
    }
    return this.error === null;
  }

  /** Postfix: vstream_fclose(). Flushes, then closes both directions; false on error. */
  async close(): Promise<boolean> {
    const ok = await this.flush();
    this.destroy();
    return ok;
  }

  /** Close without flushing. */
  destroy(): void {
    this.pending = [];
    this.input?.destroy();
    if (this.output !== (this.input as unknown)) this.output?.destroy();
  }
}
