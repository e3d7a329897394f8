/*
 * peekfd - how many bytes are waiting to be read on a descriptor.
 * Counterpart: postfix/src/util/peekfd.c (ioctl FIONREAD).
 */
import { lastErrno, libc, sysError } from './sys_libc.js';

const FIONREAD = 0x541b;

/** Postfix: peekfd(). The byte count; throws the system error (ENOTTY for a plain file). */
export function peekfd(fd: number): number {
  const count = Buffer.alloc(4);
  if (libc().ioctlPtr(fd, FIONREAD, count) < 0) throw sysError('ioctl', lastErrno());
  return count.readInt32LE(0);
}
