/*
 * sys_process - the process and descriptor calls of the C library that master(8) needs and
 * Node does not offer: posix_spawn() (Node cannot fork), waitpid(), pipe2(), setsid(),
 * getsid(), listen(), setsockopt(), mkfifo() and dup2(), bound through koffi like
 * sys_libc.ts.
 * Counterpart: the fork()/execvp()/waitpid() and socket calls of postfix/src/master and
 * postfix/src/util/*_listen.c. Layouts are the x86_64 glibc ones.
 */
import koffi from 'koffi';
import { addressOf, check, cString, lastErrno, libc, sysError } from './sys_libc.js';

export const WNOHANG = 1;

export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_REUSEPORT = 15;
export const IPPROTO_IPV6 = 41;
export const IPV6_V6ONLY = 26;

export const O_CLOEXEC = 0o2000000;
export const O_NONBLOCK = 0o4000;

/* posix_spawnattr_setflags() bits. */
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;

/* Opaque glibc types, with room to spare: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336. */
const SIZEOF_FILE_ACTIONS = 256;
const SIZEOF_SPAWNATTR = 512;
const SIZEOF_SIGSET = 128;

const SIGKILL = 9;
const SIGPIPE = 13;
const SIGSTOP = 19;
const NSIG = 65;

interface ProcLibc {
  posix_spawn(pid: number[], path: Buffer, actions: Buffer, attr: Buffer, argv: Buffer, envp: Buffer): number;
  actionsInit(actions: Buffer): number;
  actionsDestroy(actions: Buffer): number;
  actionsDup2(actions: Buffer, fd: number, newfd: number): number;
  actionsClose(actions: Buffer, fd: number): number;
  attrInit(attr: Buffer): number;
  attrDestroy(attr: Buffer): number;
  attrSetflags(attr: Buffer, flags: number): number;
  attrSetsigdefault(attr: Buffer, set: Buffer): number;
  attrSetsigmask(attr: Buffer, set: Buffer): number;
  waitpid(pid: number, status: number[], options: number): number;
  pipe2(fds: Buffer, flags: number): number;
  setsid(): number;
  getsid(pid: number): number;
  listen(fd: number, backlog: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  mkfifo(path: Buffer, mode: number): number;
  dup2(fd: number, newfd: number): number;
}

let bound: ProcLibc | undefined;

function proc(): ProcLibc {
  if (bound !== undefined) return bound;
  const lib = koffi.load('libc.so.6');
  const fn = (decl: string) => lib.func(decl);
  bound = {
    posix_spawn: fn('int posix_spawn(_Out_ int *pid, void *path, void *actions, void *attr, void *argv, void *envp)'),
    actionsInit: fn('int posix_spawn_file_actions_init(void *actions)'),
    actionsDestroy: fn('int posix_spawn_file_actions_destroy(void *actions)'),
    actionsDup2: fn('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)'),
    actionsClose: fn('int posix_spawn_file_actions_addclose(void *actions, int fd)'),
    attrInit: fn('int posix_spawnattr_init(void *attr)'),
    attrDestroy: fn('int posix_spawnattr_destroy(void *attr)'),
    attrSetflags: fn('int posix_spawnattr_setflags(void *attr, short flags)'),
    attrSetsigdefault: fn('int posix_spawnattr_setsigdefault(void *attr, void *set)'),
    attrSetsigmask: fn('int posix_spawnattr_setsigmask(void *attr, void *set)'),
    waitpid: fn('int waitpid(int pid, _Out_ int *status, int options)'),
    pipe2: fn('int pipe2(void *fds, int flags)'),
    setsid: fn('int setsid(void)'),
    getsid: fn('int getsid(int pid)'),
    listen: fn('int listen(int fd, int backlog)'),
    setsockopt: fn('int setsockopt(int fd, int level, int name, void *value, uint32_t len)'),
    mkfifo: fn('int mkfifo(void *path, uint32_t mode)'),
    dup2: fn('int dup2(int fd, int newfd)'),
  };
  return bound;
}

/** A NULL-terminated array of pointers to C strings; keep the result alive during the call. */
function stringVector(list: readonly string[]): { table: Buffer; strings: Buffer[] } {
  const strings = list.map(cString);
  const table = Buffer.alloc(8 * (strings.length + 1));
  strings.forEach((s, i) => table.writeBigUInt64LE(addressOf(s), 8 * i));
  return { table, strings };
}

export interface SpawnRequest {
  path: string;
  argv: readonly string[];
  /** NAME=value strings, in order. */
  env: readonly string[];
  /** Child descriptor n gets fds[n]; undefined leaves n closed (unless it is inherited). */
  fds: readonly (number | undefined)[];
  /** Start a new session, as setsid() right after fork() would. */
  newSession?: boolean;
}

/*
 * Child descriptors are first copied to numbers above every descriptor involved, then
 * down to their places: copying straight down could overwrite a source that another
 * target still needs. dup2() clears close-on-exec on the copy.
 */
const SPARE_FD_BASE = 1000;

/**
 * Start a program, as fork() then dup2() then execve() would. Signals that the parent
 * catches start with their default action, as after exec; ignored ones stay ignored,
 * except that only SIGPIPE does (Node also ignores SIGXFSZ, Postfix's master does not).
 * The signal mask is empty. Returns the pid, or throws the system error of the exec.
 */
export function posixSpawn(req: SpawnRequest): number {
  const c = proc();
  const actions = Buffer.alloc(SIZEOF_FILE_ACTIONS);
  const attr = Buffer.alloc(SIZEOF_SPAWNATTR);
  check(c.actionsInit(actions) === 0 ? 0 : -1, 'posix_spawn_file_actions_init');
  check(c.attrInit(attr) === 0 ? 0 : -1, 'posix_spawnattr_init');
  try {
    const highest = Math.max(SPARE_FD_BASE, ...req.fds.map((fd) => fd ?? 0)) + 1;
    req.fds.forEach((fd, n) => {
      if (fd !== undefined) addAction(c.actionsDup2(actions, fd, highest + n), 'adddup2');
    });
    req.fds.forEach((fd, n) => {
      if (fd !== undefined) {
        addAction(c.actionsDup2(actions, highest + n, n), 'adddup2');
        addAction(c.actionsClose(actions, highest + n), 'addclose');
      }
    });
    const sigdef = Buffer.alloc(SIZEOF_SIGSET);
    for (let sig = 1; sig < NSIG; sig++) {
      if (sig === SIGKILL || sig === SIGSTOP || sig === SIGPIPE || sig === 32 || sig === 33) continue;
      sigdef[(sig - 1) >> 3]! |= 1 << ((sig - 1) & 7);
    }
    addAction(c.attrSetsigdefault(attr, sigdef), 'posix_spawnattr_setsigdefault');
    addAction(c.attrSetsigmask(attr, Buffer.alloc(SIZEOF_SIGSET)), 'posix_spawnattr_setsigmask');
    const flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (req.newSession ? POSIX_SPAWN_SETSID : 0);
    addAction(c.attrSetflags(attr, flags), 'posix_spawnattr_setflags');
    const path = cString(req.path);
    const argv = stringVector(req.argv);
    const envp = stringVector(req.env);
    const pid = [0];
    const err = c.posix_spawn(pid, path, actions, attr, argv.table, envp.table);
    if (err !== 0) throw sysError('posix_spawn', err, req.path);
    return pid[0]!;
  } finally {
    c.actionsDestroy(actions);
    c.attrDestroy(attr);
  }
}

function addAction(err: number, what: string): void {
  if (err !== 0) throw sysError(what, err);
}

export interface WaitResult {
  pid: number;
  status: number;
}

/** waitpid(); null when WNOHANG finds nothing to reap; throws ECHILD and friends. */
export function waitPid(pid: number, options: number): WaitResult | null {
  const status = [0];
  const got = proc().waitpid(pid, status, options);
  if (got < 0) throw sysError('waitpid', lastErrno());
  return got === 0 ? null : { pid: got, status: status[0]! };
}

/* <sys/wait.h> macros on a wait status. */
export const WIFEXITED = (s: number) => (s & 0x7f) === 0;
export const WEXITSTATUS = (s: number) => (s >> 8) & 0xff;
export const WIFSIGNALED = (s: number) => ((s & 0x7f) + 1) >> 1 > 0 && (s & 0x7f) !== 0x7f;
export const WTERMSIG = (s: number) => s & 0x7f;
export const WIFSTOPPED = (s: number) => (s & 0xff) === 0x7f;
export const WSTOPSIG = (s: number) => (s >> 8) & 0xff;

/** pipe2(); [read end, write end]. */
export function pipe2(flags: number): [number, number] {
  const fds = Buffer.alloc(8);
  check(proc().pipe2(fds, flags), 'pipe');
  return [fds.readInt32LE(0), fds.readInt32LE(4)];
}

/** setsid(); -1 with the errno left for lastErrno(). */
export function setsid(): number {
  return proc().setsid();
}

export function getsid(pid: number): number {
  return proc().getsid(pid);
}

/** listen(); throws the system error. */
export function listenSocket(fd: number, backlog: number): void {
  check(proc().listen(fd, backlog), 'listen');
}

/** setsockopt() with an int value; throws the system error. */
export function setIntSockopt(fd: number, level: number, name: number, value: number): void {
  const buf = Buffer.alloc(4);
  buf.writeInt32LE(value, 0);
  check(proc().setsockopt(fd, level, name, buf, 4), 'setsockopt');
}

/** mkfifo(); throws the system error. */
export function mkfifo(path: string, mode: number): void {
  check(proc().mkfifo(cString(path), mode), 'mkfifo', path);
}

/** dup2(); throws the system error. */
export function dup2(fd: number, newfd: number): void {
  check(proc().dup2(fd, newfd), 'dup2');
}

const F_GETFD = 1;
const FD_CLOEXEC = 1;

/** True when fd is open and not close-on-exec. */
export function inheritable(fd: number): boolean {
  const flags = libc().fcntlInt(fd, F_GETFD, 0);
  return flags >= 0 && (flags & FD_CLOEXEC) === 0;
}
