/*
 * unix_dgram_listen - a UNIX-domain datagram socket bound to a path, and receiving.
 * Counterpart: postfix/src/util/unix_dgram_listen.c; the receive side is the recv() loop
 * of postfix/src/master/dgram_server.c, here as a promise that waits in the event loop.
 */
import { chmodSync, unlinkSync } from 'node:fs';
import { msg } from './msg.js';
import { nonBlocking, readWait } from './poll_fd.js';
import { isErrno, strerror } from './strerror.js';
import { lastErrno, libc, sysError, EAGAIN, MSG_DONTWAIT, SIZEOF_SOCKADDR_UN } from './sys_libc.js';
import { unixDgramAddress, unixDgramSocket } from './unix_dgram_connect.js';

/** Postfix: unix_dgram_listen(). Dies on any error, as Postfix does; the socket is mode 0666. */
export function unixDgramListen(path: string, blockMode: number): number {
  const myname = 'unix_dgram_listen';
  const addr = unixDgramAddress(myname, path);
  const sock = unixDgramSocket(myname);
  try {
    unlinkSync(path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) msg.fatal(`remove ${path}: ${strerror(err)}`);
  }
  if (libc().bind(sock, addr, SIZEOF_SOCKADDR_UN) < 0) msg.fatal(`bind: ${path}: ${strerror(lastErrno())}`);
  try {
    chmodSync(path, 0o666);
  } catch (err) {
    msg.fatal(`chmod socket ${path}: ${strerror(err)}`);
  }
  nonBlocking(sock, blockMode);
  return sock;
}

/**
 * One datagram, cut to maxLen bytes as recv() does; null when none is waiting. Blocks on
 * a BLOCKING socket only if dontWait is false.
 */
export function unixDgramRecv(sock: number, maxLen: number, dontWait = true): Buffer | null {
  const buf = Buffer.alloc(maxLen);
  const len = libc().recvfrom(sock, buf, maxLen, dontWait ? MSG_DONTWAIT : 0, null, null);
  if (len >= 0) return buf.subarray(0, len);
  const num = lastErrno();
  if (num === EAGAIN) return null;
  throw sysError('recv', num);
}

/** The next datagram, waiting for it in the event loop; ETIMEDOUT after timeoutSec, when given. */
export async function unixDgramRecvAsync(sock: number, maxLen: number, timeoutSec?: number): Promise<Buffer> {
  for (;;) {
    const got = unixDgramRecv(sock, maxLen);
    if (got !== null) return got;
    await readWait(sock, timeoutSec);
  }
}
