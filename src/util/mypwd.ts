/*
 * mypwd - password and group file lookups, as plain objects with the C field names.
 * Counterpart: postfix/src/global/mypwd.c (mypwnam, mypwuid), kept in util/ because
 * chroot_uid needs it, plus getgrnam()/getgrgid(). Uses the reentrant glibc calls, so NSS
 * (files, systemd, ldap ...) answers as it does for Postfix. No cache: callers keep results.
 */
import { addressOf, cString, libc, sysError, ERANGE, LAYOUT, SIZEOF_GROUP, SIZEOF_PASSWD } from './sys_libc.js';

export interface MyPasswd {
  pw_name: string;
  pw_passwd: string;
  pw_uid: number;
  pw_gid: number;
  pw_gecos: string;
  pw_dir: string;
  pw_shell: string;
}

export interface MyGroup {
  gr_name: string;
  gr_passwd: string;
  gr_gid: number;
  gr_mem: string[];
}

const ENOENT = 2;
const ESRCH = 3;

type Reentrant = (entry: Buffer, buf: Buffer, buflen: number, result: Buffer) => number;

/* Run a *_r lookup with a growing buffer; the entry and its buffer, or null when not found. */
function lookup(syscall: string, size: number, call: Reentrant): { entry: Buffer; buf: Buffer } | null {
  for (let buflen = 1024; ; buflen *= 2) {
    const entry = Buffer.alloc(size);
    const buf = Buffer.alloc(buflen);
    const result = Buffer.alloc(8);
    const status = call(entry, buf, buflen, result);
    if (status === ERANGE && buflen < 1 << 24) continue;
    if (status === ENOENT || status === ESRCH) return null; // "not found", for some NSS modules
    if (status !== 0) throw sysError(syscall, status);
    return result.readBigUInt64LE(0) === 0n ? null : { entry, buf };
  }
}

/* A reader for the C strings that the entry points to, all inside buf. */
function stringsIn(buf: Buffer): (ptr: bigint) => string {
  const base = addressOf(buf);
  return (ptr: bigint) => {
    if (ptr === 0n) return '';
    const off = Number(ptr - base);
    return buf.toString('latin1', off, buf.indexOf(0, off));
  };
}

function passwdOf(found: { entry: Buffer; buf: Buffer } | null): MyPasswd | null {
  if (found === null) return null;
  const { entry } = found;
  const str = stringsIn(found.buf);
  const at = LAYOUT.passwd;
  return {
    pw_name: str(entry.readBigUInt64LE(at.pw_name)),
    pw_passwd: str(entry.readBigUInt64LE(at.pw_passwd)),
    pw_uid: entry.readUInt32LE(at.pw_uid),
    pw_gid: entry.readUInt32LE(at.pw_gid),
    pw_gecos: str(entry.readBigUInt64LE(at.pw_gecos)),
    pw_dir: str(entry.readBigUInt64LE(at.pw_dir)),
    pw_shell: str(entry.readBigUInt64LE(at.pw_shell)),
  };
}

function groupOf(found: { entry: Buffer; buf: Buffer } | null): MyGroup | null {
  if (found === null) return null;
  const { entry, buf } = found;
  const str = stringsIn(buf);
  const at = LAYOUT.group;
  const members: string[] = [];
  const list = entry.readBigUInt64LE(at.gr_mem); // a NULL-terminated char **
  if (list !== 0n) {
    for (let off = Number(list - addressOf(buf)); ; off += 8) {
      const ptr = buf.readBigUInt64LE(off);
      if (ptr === 0n) break;
      members.push(str(ptr));
    }
  }
  return {
    gr_name: str(entry.readBigUInt64LE(at.gr_name)),
    gr_passwd: str(entry.readBigUInt64LE(at.gr_passwd)),
    gr_gid: entry.readUInt32LE(at.gr_gid),
    gr_mem: members,
  };
}

/** Postfix: mypwnam(). null when there is no such user; throws when the lookup fails. */
export function getpwnam(name: string): MyPasswd | null {
  return passwdOf(lookup('getpwnam_r', SIZEOF_PASSWD, (e, b, n, r) => libc().getpwnam_r(cString(name), e, b, n, r)));
}

/** Postfix: mypwuid(). */
export function getpwuid(uid: number): MyPasswd | null {
  return passwdOf(lookup('getpwuid_r', SIZEOF_PASSWD, (e, b, n, r) => libc().getpwuid_r(uid, e, b, n, r)));
}

/** getgrnam(3). */
export function getgrnam(name: string): MyGroup | null {
  return groupOf(lookup('getgrnam_r', SIZEOF_GROUP, (e, b, n, r) => libc().getgrnam_r(cString(name), e, b, n, r)));
}

/** getgrgid(3). */
export function getgrgid(gid: number): MyGroup | null {
  return groupOf(lookup('getgrgid_r', SIZEOF_GROUP, (e, b, n, r) => libc().getgrgid_r(gid, e, b, n, r)));
}
