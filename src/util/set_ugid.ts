/*
 * set_ugid - become a user and group for good: real, effective and saved ids.
 * Counterpart: postfix/src/util/set_ugid.c. The supplementary groups are cut down to the
 * one group. glibc applies each change to every thread of the process.
 */
import { msg } from './msg.js';
import { strerror } from './strerror.js';
import { lastErrno, libc } from './sys_libc.js';

/** Postfix: set_ugid(). Any failure is fatal. */
export function setUgid(uid: number, gid: number): void {
  const c = libc();
  if (process.geteuid!() !== 0 && c.seteuid(0) < 0) msg.fatal(`seteuid(0): ${strerror(lastErrno())}`);
  if (c.setgid(gid) < 0) msg.fatal(`setgid(${gid}): ${strerror(lastErrno())}`);
  const groups = Buffer.alloc(4);
  groups.writeUInt32LE(gid, 0);
  if (c.setgroups(1, groups) < 0) msg.fatal(`setgroups(1, &${gid}): ${strerror(lastErrno())}`);
  if (c.setuid(uid) < 0) msg.fatal(`setuid(${uid}): ${strerror(lastErrno())}`);
  if (msg.verbose > 1) msg.info(`setugid: uid ${uid} gid ${gid}`);
}
