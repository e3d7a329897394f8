/*
 * inet_listen - a TCP socket listening on one address and port.
 * Counterpart: postfix/src/util/inet_listen.c, for an address that is already resolved
 * (master(8) resolves the names). Like Postfix on Linux: SO_REUSEADDR and SO_REUSEPORT,
 * IPV6_V6ONLY for IPv6. The socket is close-on-exec. Every error is fatal.
 */
import { msg } from './msg.js';
import { nonBlocking } from './poll_fd.js';
import { strerror } from './strerror.js';
import { inetNtop } from './cidr_match.js';
import { findInetPort } from './find_inet.js';
import { lastErrno, libc, AF_INET, AF_INET6, SOCK_CLOEXEC, SOCK_STREAM } from './sys_libc.js';
import { IPPROTO_IPV6, IPV6_V6ONLY, SOL_SOCKET, SO_REUSEADDR, SO_REUSEPORT, listenSocket, setIntSockopt } from './sys_process.js';

/** A struct sockaddr_in or sockaddr_in6. */
export function sockaddrIn(family: number, bytes: Buffer, port: number): Buffer {
  const sa = Buffer.alloc(family === AF_INET6 ? 28 : 16);
  sa.writeUInt16LE(family, 0);
  sa.writeUInt16BE(port, 2);
  bytes.copy(sa, family === AF_INET6 ? 8 : 4);
  return sa;
}

/** Postfix: inet_listen(). */
export function inetListen(family: number, bytes: Buffer, port: number, backlog: number, blockMode: number): number {
  if (msg.verbose) msg.info(`trying... [${inetNtop(family, bytes)}]:${port}`);
  const c = libc();
  const sock = c.socket(family === AF_INET6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0) msg.fatal(`socket: ${strerror(lastErrno())}`);
  const option = (level: number, name: number, text: string) => {
    try {
      setIntSockopt(sock, level, name, 1);
    } catch (err) {
      msg.fatal(`setsockopt(${text}): ${strerror(err)}`);
    }
  };
  if (family === AF_INET6) option(IPPROTO_IPV6, IPV6_V6ONLY, 'IPV6_V6ONLY');
  option(SOL_SOCKET, SO_REUSEADDR, 'SO_REUSEADDR');
  option(SOL_SOCKET, SO_REUSEPORT, 'SO_REUSEPORT');
  const sa = sockaddrIn(family, bytes, port);
  if (c.bind(sock, sa, sa.length) < 0) msg.fatal(`bind ${inetNtop(family, bytes)} port ${port}: ${strerror(lastErrno())}`);
  nonBlocking(sock, blockMode);
  try {
    listenSocket(sock, backlog);
  } catch (err) {
    msg.fatal(`listen: ${strerror(err)}`);
  }
  return sock;
}

/**
 * The TCP port of a numeric or symbolic service (from /etc/services, as getaddrinfo()
 * finds it), or undefined when unknown.
 */
export function inetServicePort(service: string): number | undefined {
  if (/^[0-9]+$/.test(service)) {
    const n = Number(service);
    return n <= 65535 ? n : undefined;
  }
  return findInetPort(service);
}
