/*
 * vstream - buffered output on a file descriptor, written with blocking writes.
 * Counterpart: the VSTREAM_OUT/VSTREAM_ERR parts of postfix/src/util/vstream.c.
 * Text is a byte string (one char per byte). Like Postfix's 4096-byte buffer, output is
 * written when the buffer fills, on an explicit flush, and at a normal exit; a fatal
 * error exits without flushing, as _exit() does in C.
 */
import { readSync, writeSync } from 'node:fs';

const VSTREAM_BUFSIZE = 4096;

export class VStream {
  private chunks: string[] = [];
  private pending = 0;

  constructor(readonly fd: number, private readonly bufferSize = VSTREAM_BUFSIZE) {}

  /** Append text; write out whole buffers as they fill, as the C buffer would. */
  write(text: string): void {
    this.chunks.push(text);
    this.pending += text.length;
    if (this.pending >= this.bufferSize) {
      const all = Buffer.from(this.chunks.join(''), 'latin1');
      const whole = all.length - (all.length % this.bufferSize);
      writeAll(this.fd, all.subarray(0, whole));
      const rest = all.subarray(whole).toString('latin1');
      this.chunks = rest === '' ? [] : [rest];
      this.pending = rest.length;
    }
  }

  /** Postfix: vstream_fflush(). */
  flush(): void {
    if (this.pending === 0) return;
    const data = Buffer.from(this.chunks.join(''), 'latin1');
    this.chunks = [];
    this.pending = 0;
    writeAll(this.fd, data);
  }
}

/** Write a whole buffer; EAGAIN on a non-blocking descriptor is retried. */
export function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off, data.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw err;
    }
  }
}

export const vstreamOut = new VStream(1);
process.on('exit', () => {
  if (!exitingWithoutFlush) vstreamOut.flush();
});

let exitingWithoutFlush = false;
/** For msg.fatal: leave buffered standard output unwritten, as _exit() would. */
export function discardOnExit(): void {
  exitingWithoutFlush = true;
}

/** Everything readable from a descriptor (standard input, mostly), as a byte string. */
export function readAllSync(fd: number): string {
  const chunks: Buffer[] = [];
  const block = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, block, 0, block.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue; // a non-blocking descriptor that has nothing yet
      if (code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(block.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('latin1');
}
