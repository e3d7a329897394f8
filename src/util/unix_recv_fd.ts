/*
 * unix_recv_fd - receive a file descriptor that unix_send_fd() sent.
 * Counterpart: postfix/src/util/unix_recv_fd.c. Reads the one data byte that carries the
 * descriptor. Unlike Postfix, the new descriptor is close-on-exec (MSG_CMSG_CLOEXEC), so
 * that the commands a Node process spawns do not inherit it by accident.
 */
import type { Socket } from 'node:net';
import { msg } from './msg.js';
import { readWait } from './poll_fd.js';
import {
  fdOf, lastErrno, libc, msghdrFor, sysError, CMSG_DATA_OFFSET, CMSG_LEN_INT, CMSG_SPACE_INT, EAGAIN, LAYOUT,
  MSG_CMSG_CLOEXEC, MSG_DONTWAIT, SCM_RIGHTS, SOL_SOCKET,
} from './sys_libc.js';

const myname = 'unix_recv_fd';

/* One recvmsg(): the descriptor, null when none came (end of file, or data only), or an errno. */
function receive(fd: number, flags: number): number | null | { errno: number } {
  const message = msghdrFor(Buffer.alloc(1), Buffer.alloc(CMSG_SPACE_INT));
  if (libc().recvmsg(fd, message.msghdr, flags | MSG_CMSG_CLOEXEC) < 0) return { errno: lastErrno() };
  const { cmsghdr } = LAYOUT;
  const controllen = Number(message.msghdr.readBigUInt64LE(LAYOUT.msghdr.msg_controllen));
  const control = message.control;
  // CMSG_FIRSTHDR() is null when there is no room for a header.
  if (controllen < cmsghdr.size || Number(control.readBigUInt64LE(cmsghdr.cmsg_len)) !== CMSG_LEN_INT) return null;
  const level = control.readInt32LE(cmsghdr.cmsg_level);
  const type = control.readInt32LE(cmsghdr.cmsg_type);
  if (level !== SOL_SOCKET) msg.fatal(`${myname}: control level ${level} != SOL_SOCKET`);
  if (type !== SCM_RIGHTS) msg.fatal(`${myname}: control type ${type} != SCM_RIGHTS`);
  return control.readInt32LE(CMSG_DATA_OFFSET);
}

/** Postfix: unix_recv_fd(). The received descriptor, or null; throws on a system error. */
export function unixRecvFd(sock: number): number | null {
  const got = receive(sock, 0);
  if (got !== null && typeof got === 'object') throw sysError('recvmsg', got.errno);
  return got;
}

/**
 * unix_recv_fd() for the event loop. sock may be a descriptor or a net.Socket that is not
 * reading (created with pauseOnConnect, or paused before it connected): a reading socket
 * would consume the data byte and lose the descriptor.
 */
export async function unixRecvFdAsync(sock: number | Socket, timeoutSec?: number): Promise<number | null> {
  if (typeof sock !== 'number' && (sock as unknown as { _handle?: { reading?: boolean } })._handle?.reading) {
    throw new Error(`${myname}: the socket is reading; the descriptor would be lost`);
  }
  const fd = fdOf(sock);
  for (;;) {
    const got = receive(fd, MSG_DONTWAIT);
    if (got === null || typeof got === 'number') return got;
    if (got.errno !== EAGAIN) throw sysError('recvmsg', got.errno);
    await readWait(fd, timeoutSec);
  }
}
