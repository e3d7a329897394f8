/*
 * unix_listen - a UNIX-domain stream socket listening on a path, mode 0666.
 * Counterpart: postfix/src/util/unix_listen.c (LOCAL_LISTEN on Linux). The socket is
 * close-on-exec; master(8) hands it to a child explicitly. Every error is fatal.
 */
import { chmodSync, unlinkSync } from 'node:fs';
import { msg } from './msg.js';
import { nonBlocking } from './poll_fd.js';
import { isErrno, strerror } from './strerror.js';
import { lastErrno, libc, sockaddrUn, AF_UNIX, SIZEOF_SOCKADDR_UN, SOCK_CLOEXEC, SOCK_STREAM, SUN_PATH_MAX } from './sys_libc.js';
import { listenSocket } from './sys_process.js';

/** Postfix: unix_listen(). */
export function unixListen(path: string, backlog: number, blockMode: number): number {
  if (Buffer.byteLength(path, 'latin1') >= SUN_PATH_MAX) msg.fatal(`unix-domain name too long: ${path}`);
  const c = libc();
  const sock = c.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0) msg.fatal(`socket: ${strerror(lastErrno())}`);
  try {
    unlinkSync(path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) msg.fatal(`remove ${path}: ${strerror(err)}`);
  }
  if (c.bind(sock, sockaddrUn(path), SIZEOF_SOCKADDR_UN) < 0) msg.fatal(`bind: ${path}: ${strerror(lastErrno())}`);
  try {
    chmodSync(path, 0o666);
  } catch (err) {
    msg.fatal(`chmod socket ${path}: ${strerror(err)}`);
  }
  nonBlocking(sock, blockMode);
  try {
    listenSocket(sock, backlog);
  } catch (err) {
    msg.fatal(`listen: ${strerror(err)}`);
  }
  return sock;
}
