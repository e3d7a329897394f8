/*
 * chroot_uid - enter a chroot jail and drop to a user's privileges.
 * Counterpart: postfix/src/util/chroot_uid.c. The ids are looked up before entering the
 * jail; glibc's setgid()/setuid() change every thread of the process, Node's included.
 * Node loads modules lazily: a program imports everything it needs before it calls this.
 */
import { msg } from './msg.js';
import { getpwnam } from './mypwd.js';
import { strerror } from './strerror.js';
import { cString, lastErrno, libc } from './sys_libc.js';

/** Postfix: chroot_uid(). Either argument may be null; any failure is fatal. */
export function chrootUid(rootDir: string | null, userName: string | null): void {
  const c = libc();
  let uid = 0;
  if (userName !== null) {
    const pwd = getpwnam(userName);
    if (pwd === null) msg.fatal(`unknown user: ${userName}`);
    uid = pwd.pw_uid;
    if (c.setgid(pwd.pw_gid) < 0) msg.fatal(`setgid(${pwd.pw_gid}): ${strerror(lastErrno())}`);
    if (c.initgroups(cString(userName), pwd.pw_gid) < 0) msg.fatal(`initgroups: ${strerror(lastErrno())}`);
  }
  if (rootDir !== null) {
    if (c.chroot(cString(rootDir)) < 0) msg.fatal(`chroot(${rootDir}): ${strerror(lastErrno())}`);
    try {
      process.chdir('/'); // through Node, which caches the working directory
    } catch (err) {
      msg.fatal(`chdir(/): ${strerror(err)}`);
    }
  }
  if (userName !== null && c.setuid(uid) < 0) msg.fatal(`setuid(${uid}): ${strerror(lastErrno())}`);
  if (msg.verbose > 1) msg.info(`chroot ${rootDir ?? '(none)'} user ${userName ?? '(none)'}`);
}
