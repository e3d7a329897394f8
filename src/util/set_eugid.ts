/*
 * set_eugid - switch the effective user and group (and the group list), keeping root as
 * the real user so that the switch can be undone.
 * Counterpart: postfix/src/util/set_eugid.c.
 */
import { msg } from './msg.js';
import { strerror } from './strerror.js';
import { lastErrno, libc } from './sys_libc.js';

/** Postfix: set_eugid(). Any failure is fatal. */
export function setEugid(euid: number, egid: number): void {
  const c = libc();
  if (process.geteuid!() !== 0 && c.seteuid(0) < 0) msg.fatal(`set_eugid: seteuid(0): ${strerror(lastErrno())}`);
  if (c.setegid(egid) < 0) msg.fatal(`set_eugid: setegid(${egid}): ${strerror(lastErrno())}`);
  const groups = Buffer.alloc(4);
  groups.writeUInt32LE(egid, 0);
  if (c.setgroups(1, groups) < 0) msg.fatal(`set_eugid: setgroups(${egid}): ${strerror(lastErrno())}`);
  if (euid !== 0 && c.seteuid(euid) < 0) msg.fatal(`set_eugid: seteuid(${euid}): ${strerror(lastErrno())}`);
  if (msg.verbose) msg.info(`set_eugid: euid ${euid} egid ${egid}`);
}
