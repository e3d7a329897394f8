/*
 * unix_send_fd - send a file descriptor over a UNIX-domain socket (SCM_RIGHTS).
 * Counterpart: postfix/src/util/unix_send_fd.c. Like Postfix, each descriptor travels with
 * one data byte (a NUL), so that the receiver can wait for it as for ordinary input.
 * Postfix's CMSG_LEN retry exists for old BSD kernels and is not needed on Linux.
 */
import type { Socket } from 'node:net';
import { writeWait } from './poll_fd.js';
import {
  check, fdOf, lastErrno, libc, msghdrFor, sysError, CMSG_DATA_OFFSET, CMSG_LEN_INT, CMSG_SPACE_INT, EAGAIN, LAYOUT,
  MSG_DONTWAIT, SCM_RIGHTS, SOL_SOCKET,
} from './sys_libc.js';

function fdMessage(sendfd: number): ReturnType<typeof msghdrFor> {
  const control = Buffer.alloc(CMSG_SPACE_INT);
  control.writeBigUInt64LE(BigInt(CMSG_LEN_INT), LAYOUT.cmsghdr.cmsg_len);
  control.writeInt32LE(SOL_SOCKET, LAYOUT.cmsghdr.cmsg_level);
  control.writeInt32LE(SCM_RIGHTS, LAYOUT.cmsghdr.cmsg_type);
  control.writeInt32LE(sendfd, CMSG_DATA_OFFSET);
  return msghdrFor(Buffer.alloc(1), control);
}

/** Postfix: unix_send_fd(). Throws a system error (EAGAIN on a full non-blocking socket). */
export function unixSendFd(sock: number, sendfd: number): void {
  const message = fdMessage(sendfd);
  check(libc().sendmsg(sock, message.msghdr, 0), 'sendmsg');
}

/**
 * unix_send_fd() for the event loop: sock may be a connected net.Socket (its queued
 * writes go first) or a descriptor; sendfd may be a descriptor or a net.Socket.
 */
export async function unixSendFdAsync(sock: number | Socket, sendfd: number | Socket, timeoutSec?: number): Promise<void> {
  if (typeof sock !== 'number') {
    const stream = sock;
    // A write callback runs when everything written before it has reached the kernel.
    await new Promise<void>((resolve, reject) => stream.write(Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
  }
  const fd = fdOf(sock);
  const message = fdMessage(fdOf(sendfd));
  for (;;) {
    if (libc().sendmsg(fd, message.msghdr, MSG_DONTWAIT) >= 0) return;
    const num = lastErrno();
    if (num !== EAGAIN) throw sysError('sendmsg', num);
    await writeWait(fd, timeoutSec);
  }
}
