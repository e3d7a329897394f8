/*
 * sys_libc - the C library calls that Node does not offer, bound once through koffi.
 * Counterpart: the system interfaces that postfix/src/util/sys_defs.h selects for Linux.
 * Structures are laid out by hand in Buffers (x86_64 glibc ABI, see the offsets below),
 * so that every pointer a call sees is memory we own and keep alive. Failures become
 * Node-style errors (code, errno, syscall) that strerror() prints as glibc does.
 */
import koffi from 'koffi';
import { constants } from 'node:os';
import { ERRNO_BY_NAME, STRERROR_BY_NUMBER } from './strerror_table.js';

/** Node's name for an errno number (EAGAIN rather than EWOULDBLOCK, as libuv says). */
function errnoName(num: number): string {
  for (const [name, value] of Object.entries(constants.errno)) if (value === num) return name;
  for (const [name, value] of Object.entries(ERRNO_BY_NAME)) if (value === num) return name;
  return `E${num}`;
}

export interface SysError extends Error {
  code: string;
  errno: number; // negative, like Node's own system errors
  syscall: string;
  path?: string;
}

/** A system error shaped like the ones node:fs throws. */
export function sysError(syscall: string, num: number, path?: string): SysError {
  const code = errnoName(num);
  const text = STRERROR_BY_NUMBER[num] ?? `Unknown error ${num}`;
  const err = new Error(`${code}: ${text}, ${syscall}${path === undefined ? '' : ` '${path}'`}`) as SysError;
  err.code = code;
  err.errno = -num;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  return err;
}

/** errno after the call that just failed. */
export function lastErrno(): number {
  return koffi.errno();
}

/** Throw the pending errno when a call returned a negative status. */
export function check(status: number, syscall: string, path?: string): number {
  if (status < 0) throw sysError(syscall, koffi.errno(), path);
  return status;
}

/* Constants from the Linux x86_64 headers. */
export const EINTR = 4;
export const EAGAIN = 11;
export const EACCES = 13;
export const ERANGE = 34;

export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_SETLK = 6;
export const F_SETLKW = 7;
export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;
export const O_NONBLOCK = 0o4000;

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_CLOEXEC = 0o2000000;
export const SOCK_NONBLOCK = 0o4000;
export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1;
export const MSG_DONTWAIT = 0x40;

/*
 * Structure sizes and member offsets of the x86_64 glibc ABI, for structures that we lay
 * out in Buffers (test/util/sys_libc.test.ts checks them against the C headers).
 */
export const LAYOUT = {
  flock: { size: 32, l_type: 0, l_whence: 2, l_start: 8, l_len: 16, l_pid: 24 },
  sockaddr_un: { size: 110, sun_family: 0, sun_path: 2 },
  msghdr: { size: 56, msg_name: 0, msg_namelen: 8, msg_iov: 16, msg_iovlen: 24, msg_control: 32, msg_controllen: 40, msg_flags: 48 },
  iovec: { size: 16, iov_base: 0, iov_len: 8 },
  cmsghdr: { size: 16, cmsg_len: 0, cmsg_level: 8, cmsg_type: 12 },
  passwd: { size: 48, pw_name: 0, pw_passwd: 8, pw_uid: 16, pw_gid: 20, pw_gecos: 24, pw_dir: 32, pw_shell: 40 },
  group: { size: 32, gr_name: 0, gr_passwd: 8, gr_gid: 16, gr_mem: 24 },
  re_pattern_buffer: { size: 64, re_nsub: 48 }, // regex_t
} as const;

/* <regex.h>: regcomp() flags, and regexec()'s "no match". regmatch_t is two ints. */
export const REG_EXTENDED = 1;
export const REG_ICASE = 2;
export const REG_NEWLINE = 4;
export const REG_NOSUB = 8;
export const REG_NOMATCH = 1;
export const SIZEOF_REGMATCH = 8;

export const SIZEOF_FLOCK = LAYOUT.flock.size;
export const SIZEOF_SOCKADDR_UN = LAYOUT.sockaddr_un.size;
export const SUN_PATH_MAX = LAYOUT.sockaddr_un.size - LAYOUT.sockaddr_un.sun_path;
export const SIZEOF_PASSWD = LAYOUT.passwd.size;
export const SIZEOF_GROUP = LAYOUT.group.size;

/* CMSG_SPACE(sizeof(int)) and CMSG_LEN(sizeof(int)); the data follows the header. */
export const CMSG_SPACE_INT = 24;
export const CMSG_LEN_INT = 20;
export const CMSG_DATA_OFFSET = LAYOUT.cmsghdr.size;
export const MSG_CMSG_CLOEXEC = 0x40000000;

type Ptr = Buffer | null;

interface Libc {
  flock(fd: number, op: number): number;
  /** fcntl() with an int argument (F_GETFL, F_SETFL). */
  fcntlInt(fd: number, cmd: number, arg: number): number;
  /** fcntl() with a struct flock (F_SETLK, F_SETLKW). */
  fcntlLock(fd: number, cmd: number, lock: Buffer): number;
  socket(domain: number, type: number, protocol: number): number;
  connect(fd: number, addr: Buffer, len: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  send(fd: number, data: Ptr, len: number, flags: number): number;
  recvfrom(fd: number, data: Ptr, len: number, flags: number, addr: Ptr, addrlen: Ptr): number;
  sendmsg(fd: number, msghdr: Buffer, flags: number): number;
  recvmsg(fd: number, msghdr: Buffer, flags: number): number;
  socketpair(domain: number, type: number, protocol: number, fds: Buffer): number;
  close(fd: number): number;
  chroot(path: Buffer): number;
  setgid(gid: number): number;
  setuid(uid: number): number;
  seteuid(uid: number): number;
  setegid(gid: number): number;
  setgroups(count: number, gids: Buffer): number;
  initgroups(user: Buffer, gid: number): number;
  getpwnam_r(name: Buffer, pwd: Buffer, buf: Buffer, buflen: number, result: Buffer): number;
  getpwuid_r(uid: number, pwd: Buffer, buf: Buffer, buflen: number, result: Buffer): number;
  getgrnam_r(name: Buffer, grp: Buffer, buf: Buffer, buflen: number, result: Buffer): number;
  getgrgid_r(gid: number, grp: Buffer, buf: Buffer, buflen: number, result: Buffer): number;
  openlog(ident: Buffer, option: number, facility: number): void;
  syslog(priority: number, format: string, ...rest: unknown[]): void;
  tzset(): void;
  inet_pton(af: number, src: Buffer, dst: Buffer): number;
  inet_ntop(af: number, src: Buffer, dst: Buffer, size: number): unknown;
  regcomp(preg: Buffer, pattern: Buffer, cflags: number): number;
  regexec(preg: Buffer, string: Buffer, nmatch: number, pmatch: Buffer | null, eflags: number): number;
  regerror(errcode: number, preg: Buffer, errbuf: Buffer, size: number): number;
  regfree(preg: Buffer): void;
  accept4(fd: number, addr: Buffer | null, addrlen: Buffer | null, flags: number): number;
  alarm(seconds: number): number;
  /** ioctl() with a pointer argument (FIONREAD). */
  ioctlPtr(fd: number, request: number, arg: Buffer): number;
}

let bound: (Libc & { flockAsync: FlockAsync; fcntlLockAsync: FcntlAsync }) | undefined;
type FlockAsync = (fd: number, op: number, done: (err: unknown, status: number) => void) => void;
type FcntlAsync = (fd: number, cmd: number, lock: Buffer, done: (err: unknown, status: number) => void) => void;

/** libc.so.6, loaded on first use so that importing a module costs nothing. */
export function libc(): Libc {
  return bind();
}

function bind(): NonNullable<typeof bound> {
  if (bound !== undefined) return bound;
  const lib = koffi.load('libc.so.6');
  const fn = (decl: string) => lib.func(decl);
  /*
   * fcntl() is variadic, and koffi runs no variadic call on a worker thread. The lock
   * variant is declared with a fixed pointer argument instead: on x86_64 the variadic
   * calling convention passes a pointer in the same register.
   */
  const fcntlVariadic = fn('int fcntl(int fd, int cmd, ...)');
  const fcntlLock = fn('int fcntl(int fd, int cmd, void *lock)');
  const flock = fn('int flock(int fd, int op)');
  bound = {
    flock,
    fcntlInt: (fd: number, cmd: number, arg: number) => fcntlVariadic(fd, cmd, 'int', arg),
    fcntlLock,
    socket: fn('int socket(int domain, int type, int protocol)'),
    connect: fn('int connect(int fd, void *addr, uint32_t len)'),
    bind: fn('int bind(int fd, void *addr, uint32_t len)'),
    send: fn('intptr_t send(int fd, void *data, size_t len, int flags)'),
    recvfrom: fn('intptr_t recvfrom(int fd, void *data, size_t len, int flags, void *addr, void *addrlen)'),
    sendmsg: fn('intptr_t sendmsg(int fd, void *msghdr, int flags)'),
    recvmsg: fn('intptr_t recvmsg(int fd, void *msghdr, int flags)'),
    socketpair: fn('int socketpair(int domain, int type, int protocol, void *fds)'),
    close: fn('int close(int fd)'),
    chroot: fn('int chroot(void *path)'),
    setgid: fn('int setgid(uint32_t gid)'),
    setuid: fn('int setuid(uint32_t uid)'),
    seteuid: fn('int seteuid(uint32_t uid)'),
    setegid: fn('int setegid(uint32_t gid)'),
    setgroups: fn('int setgroups(size_t count, void *gids)'),
    initgroups: fn('int initgroups(void *user, uint32_t gid)'),
    getpwnam_r: fn('int getpwnam_r(void *name, void *pwd, void *buf, size_t buflen, void *result)'),
    getpwuid_r: fn('int getpwuid_r(uint32_t uid, void *pwd, void *buf, size_t buflen, void *result)'),
    getgrnam_r: fn('int getgrnam_r(void *name, void *grp, void *buf, size_t buflen, void *result)'),
    getgrgid_r: fn('int getgrgid_r(uint32_t gid, void *grp, void *buf, size_t buflen, void *result)'),
    openlog: fn('void openlog(void *ident, int option, int facility)'),
    syslog: fn('void syslog(int priority, const char *format, ...)'),
    tzset: fn('void tzset(void)'),
    inet_pton: fn('int inet_pton(int af, void *src, void *dst)'),
    inet_ntop: fn('void *inet_ntop(int af, void *src, void *dst, uint32_t size)'),
    regcomp: fn('int regcomp(void *preg, void *pattern, int cflags)'),
    regexec: fn('int regexec(void *preg, void *string, size_t nmatch, void *pmatch, int eflags)'),
    regerror: fn('size_t regerror(int errcode, void *preg, void *errbuf, size_t size)'),
    regfree: fn('void regfree(void *preg)'),
    accept4: fn('int accept4(int fd, void *addr, void *addrlen, int flags)'),
    alarm: fn('unsigned int alarm(unsigned int seconds)'),
    // Variadic in C; a fixed pointer argument travels in the same register on x86_64.
    ioctlPtr: fn('int ioctl(int fd, unsigned long request, void *arg)'),
    flockAsync: flock.async as FlockAsync,
    fcntlLockAsync: fcntlLock.async as FcntlAsync,
  };
  return bound;
}

/** flock() or fcntl(F_SETLKW) on a worker thread; resolves to [status, errno]. */
export function blockingLockCall(kind: 'flock', fd: number, arg: number): Promise<[number, number]>;
export function blockingLockCall(kind: 'fcntl', fd: number, arg: number, lock: Buffer): Promise<[number, number]>;
export function blockingLockCall(kind: 'flock' | 'fcntl', fd: number, arg: number, lock?: Buffer): Promise<[number, number]> {
  const b = bind();
  return new Promise((resolve, reject) => {
    const done = (err: unknown, status: number) => {
      // koffi hands the call's errno to this callback.
      if (err) reject(err);
      else resolve([status, status < 0 ? koffi.errno() : 0]);
    };
    if (kind === 'flock') b.flockAsync(fd, arg, done);
    else b.fcntlLockAsync(fd, arg, lock!, done);
  });
}

/** The address of a Buffer's bytes, for pointers stored inside structures. */
export function addressOf(buf: Buffer): bigint {
  return koffi.address(buf) as bigint;
}

/**
 * A NUL-terminated C string of the text's bytes (one char per byte, as our texts are), as
 * a Buffer that can be kept alive as long as C keeps the pointer.
 */
export function cString(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(1)]);
}

/** A struct sockaddr_un for a path; throws ENAMETOOLONG as the kernel would not bind it. */
export function sockaddrUn(path: string): Buffer {
  const bytes = Buffer.from(path, 'latin1');
  if (bytes.length >= SUN_PATH_MAX) throw sysError('sockaddr_un', ERRNO_BY_NAME.ENAMETOOLONG!, path);
  const addr = Buffer.alloc(SIZEOF_SOCKADDR_UN);
  addr.writeUInt16LE(AF_UNIX, LAYOUT.sockaddr_un.sun_family);
  bytes.copy(addr, LAYOUT.sockaddr_un.sun_path);
  return addr;
}

/** A descriptor number, from a number or a Node socket that wraps one. */
export function fdOf(handle: number | object): number {
  if (typeof handle === 'number') return handle;
  const fd = (handle as { _handle?: { fd?: unknown } | null })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('socket has no file descriptor (not connected, or closed)');
  return fd;
}

/**
 * A struct msghdr with one data buffer and a control buffer, and the iovec it points to.
 * Keep the returned object referenced until the call returns: C sees raw addresses.
 */
export function msghdrFor(data: Buffer, control: Buffer): { msghdr: Buffer; iov: Buffer; data: Buffer; control: Buffer } {
  const { iovec, msghdr: m } = LAYOUT;
  const iov = Buffer.alloc(iovec.size);
  iov.writeBigUInt64LE(addressOf(data), iovec.iov_base);
  iov.writeBigUInt64LE(BigInt(data.length), iovec.iov_len);
  const msghdr = Buffer.alloc(m.size); // no msg_name: the socket is connected
  msghdr.writeBigUInt64LE(addressOf(iov), m.msg_iov);
  msghdr.writeBigUInt64LE(1n, m.msg_iovlen);
  msghdr.writeBigUInt64LE(addressOf(control), m.msg_control);
  msghdr.writeBigUInt64LE(BigInt(control.length), m.msg_controllen);
  return { msghdr, iov, data, control };
}
