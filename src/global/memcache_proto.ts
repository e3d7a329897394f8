/*
 * memcache_proto - the pieces of the memcached text protocol that the memcache table
 * client uses: request lines, data blocks and reply lines, each ended by CRLF.
 * Counterpart: postfix/src/global/memcache_proto.c. Writes are buffered and go out when
 * the reply is read, as with a VSTREAM; every function returns 0 or -1.
 */
import { msg } from '../util/msg.js';
import { type AsyncVStream, VSTREAM_EOF, VSTREAM_LIMIT } from '../util/vstream_async.js';

/**
 * Postfix: memcache_get(): one reply line of at most bound bytes (0: no bound), without
 * its LF or CRLF, into line.text. -1 at end of input or when the line is too long.
 */
export async function memcacheGet(fp: AsyncVStream, line: { text: string }, bound: number): Promise<number> {
  // Like vstring_get_bound(): at most bound bytes, the LF included.
  let text: string;
  let stop: number;
  if (bound === 1) {
    const c = await fp.getc();
    text = c === VSTREAM_EOF || c === 0x0a ? '' : String.fromCharCode(c);
    stop = c === 0x0a ? c : c === VSTREAM_EOF ? VSTREAM_EOF : VSTREAM_LIMIT;
  } else {
    ({ text, ch: stop } = await fp.readUntil((ch) => ch === 0x0a, bound > 0 ? bound - 1 : 0));
  }
  if (stop !== 0x0a && text.endsWith('\r')) {
    // Stopped between CR and LF: the LF may still follow.
    const next = await fp.getc();
    if (next === 0x0a) stop = next;
    else fp.ungetc(next);
  }
  if (stop !== 0x0a) {
    if (msg.verbose) msg.info(`${fp.path} got ${bound === 0 || text.length < bound ? 'EOF' : 'input too long'}`);
    return -1;
  }
  if (text.endsWith('\r')) text = text.slice(0, -1);
  line.text = text;
  if (msg.verbose) msg.info(`${fp.path} got: ${text}`);
  return 0;
}

/** Postfix: memcache_fwrite(): a data block and CRLF. */
export function memcacheFwrite(fp: AsyncVStream, data: string): number {
  if (msg.verbose) msg.info(`${fp.path} write: ${data}`);
  fp.write(`${data}\r\n`);
  return fp.error === null && !fp.timedOut ? 0 : -1;
}

/** Postfix: memcache_fread(): a data block of exactly todo bytes, and its CRLF. */
export async function memcacheFread(fp: AsyncVStream, buf: { text: string }, todo: number): Promise<number> {
  if (todo < 0) msg.panic(`memcache_fread: negative todo ${todo}`);
  let data = '';
  while (data.length < todo) {
    const part = await fp.read(todo - data.length);
    if (part === '') break;
    data += part;
  }
  if (data.length !== todo || await fp.getc() !== 0x0d || await fp.getc() !== 0x0a) {
    if (msg.verbose) msg.info(`${fp.path} read: error`);
    return -1;
  }
  buf.text = data;
  if (msg.verbose) msg.info(`${fp.path} read: ${data}`);
  return 0;
}

/** Postfix: memcache_printf(): one request line and CRLF. */
export function memcachePrintf(fp: AsyncVStream, line: string): number {
  if (msg.verbose) msg.info(`${fp.path} write: ${line}`);
  fp.write(`${line}\r\n`);
  return fp.error === null && !fp.timedOut ? 0 : -1;
}
