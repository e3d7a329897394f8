/*
 * unix_dgram_connect - a UNIX-domain datagram socket connected to a server, and sending.
 * Counterpart: postfix/src/util/unix_dgram_connect.c; unixDgramSend() is the send() that
 * msg_logger.c does on such a socket. The socket is close-on-exec, unlike Postfix's.
 */
import { closeSync } from 'node:fs';
import { msg } from './msg.js';
import { nonBlocking } from './poll_fd.js';
import { strerror } from './strerror.js';
import { check, lastErrno, libc, sockaddrUn, sysError, AF_UNIX, SIZEOF_SOCKADDR_UN, SOCK_CLOEXEC, SOCK_DGRAM, SUN_PATH_MAX } from './sys_libc.js';

/** A new UNIX-domain datagram socket; dies when there is none to be had, as Postfix does. */
export function unixDgramSocket(myname: string): number {
  const sock = libc().socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) msg.fatal(`${myname}: socket: ${strerror(lastErrno())}`);
  return sock;
}

/** The address for path, or death when it cannot fit, as Postfix does. */
export function unixDgramAddress(myname: string, path: string): Buffer {
  if (Buffer.byteLength(path, 'latin1') >= SUN_PATH_MAX) msg.fatal(`${myname}: unix-domain name too long: ${path}`);
  return sockaddrUn(path);
}

/**
 * Postfix: unix_dgram_connect(). Returns the socket in the given BLOCKING or NON_BLOCKING
 * mode; throws a system error (ENOENT, ECONNREFUSED ...) when there is no server.
 */
export function unixDgramConnect(path: string, blockMode: number): number {
  const myname = 'unix_dgram_connect';
  const addr = unixDgramAddress(myname, path);
  const sock = unixDgramSocket(myname);
  if (libc().connect(sock, addr, SIZEOF_SOCKADDR_UN) < 0) {
    const num = lastErrno();
    closeSync(sock);
    throw sysError('connect', num, path);
  }
  nonBlocking(sock, blockMode);
  return sock;
}

/** Send one datagram on a connected socket; throws a system error (EAGAIN when full). */
export function unixDgramSend(sock: number, data: Buffer): void {
  check(libc().send(sock, data, data.length, 0), 'send');
}
