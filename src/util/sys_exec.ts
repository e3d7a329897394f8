/*
 * sys_exec - replace this process with another program, as execvp() does in C.
 * No Postfix counterpart (C programs call execvp() directly). Node has no exec, so this goes
 * through libc; before the call it undoes what Node changed in the process: SIGPIPE and
 * SIGXFSZ ignored, signals blocked, close-on-exec set on the standard descriptors.
 */
import koffi from 'koffi';
import { constants as osConstants } from 'node:os';

interface ExecLibc {
  execve(path: Buffer, argv: Array<Buffer | null>, envp: Array<Buffer | null>): number;
  signal(sig: number, handler: null): unknown;
  sigprocmask(how: number, set: Buffer, old: null): number;
  fcntl(fd: number, cmd: number, ...rest: unknown[]): number;
}

let bound: ExecLibc | undefined;

function execLibc(): ExecLibc {
  if (bound !== undefined) return bound;
  const lib = koffi.load('libc.so.6');
  const fcntl = lib.func('int fcntl(int fd, int cmd, ...)');
  bound = {
    execve: lib.func('int execve(void *path, void **argv, void **envp)'),
    signal: lib.func('void *signal(int sig, void *handler)'),
    sigprocmask: lib.func('int sigprocmask(int how, void *set, void *old)'),
    fcntl: (fd: number, cmd: number, ...rest: unknown[]) => fcntl(fd, cmd, ...rest),
  };
  return bound;
}

const SIG_SETMASK = 2;
const F_SETFD = 2;
const SIZEOF_SIGSET = 128;

const bytes = (text: string) => Buffer.from(`${text}\0`, 'latin1');

/** The environment as NAME=value byte strings. */
function environment(env: NodeJS.ProcessEnv): Array<Buffer | null> {
  const out: Array<Buffer | null> = [];
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out.push(bytes(`${name}=${value}`));
  out.push(null);
  return out;
}

/**
 * Postfix: execvp(). Runs file (searched in PATH when it has no slash) with argv, in the
 * environment env (default: this process's). Returns only on failure, with the errno of
 * the last attempt (for strerror()).
 */
export function execvp(file: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const libc = execLibc();
  libc.signal(osConstants.signals.SIGPIPE, null);
  libc.signal(osConstants.signals.SIGXFSZ, null);
  libc.sigprocmask(SIG_SETMASK, Buffer.alloc(SIZEOF_SIGSET), null);
  for (const fd of [0, 1, 2]) libc.fcntl(fd, F_SETFD, 'int', 0);
  const args = [...argv.map(bytes), null];
  const envp = environment(env);
  const candidates = file.includes('/') ? [file]
    : (env.PATH ?? '/bin:/usr/bin').split(':').map((dir) => `${dir || '.'}/${file}`);
  let failure: number = osConstants.errno.ENOENT;
  for (const path of candidates) {
    libc.execve(bytes(path), args, envp);
    failure = koffi.errno();
    // Like execvp(): a missing file tries the next directory, anything else stops.
    if (failure !== osConstants.errno.ENOENT && failure !== osConstants.errno.ENOTDIR) break;
  }
  return failure;
}
