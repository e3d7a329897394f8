/*
 * myflock - advisory locks on open files, as Postfix takes them.
 * Counterpart: postfix/src/util/myflock.c, flock() style (Postfix's INTERNAL_LOCK on
 * Linux). Node has no flock(); we call the C library's through koffi, loaded only when a
 * lock is first needed so that commands that never lock do not pay for it.
 */
import { createRequire } from 'node:module';

export const MYFLOCK_OP_NONE = 0;
export const MYFLOCK_OP_SHARED = 1;
export const MYFLOCK_OP_EXCLUSIVE = 2;
export const MYFLOCK_OP_NOWAIT = 4;

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const EINTR = 4;

type FlockFn = (fd: number, op: number) => number;
let flockFn: FlockFn | undefined;
let errnoFn: (() => number) | undefined;

function libc(): FlockFn {
  if (flockFn === undefined) {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load('libc.so.6');
    flockFn = lib.func('int flock(int fd, int operation)') as FlockFn;
    const location = lib.func('int *__errno_location(void)');
    errnoFn = () => koffi.decode(location(), 'int') as number;
  }
  return flockFn;
}

/** Postfix: myflock() with the flock style. Returns 0, or -1 with the errno value. */
export function myflock(fd: number, operation: number): { status: number; errno: number } {
  const flock = libc();
  let op = LOCK_UN;
  if (operation & MYFLOCK_OP_SHARED) op = LOCK_SH;
  if (operation & MYFLOCK_OP_EXCLUSIVE) op = LOCK_EX;
  if (operation & MYFLOCK_OP_NOWAIT) op |= LOCK_NB;
  for (;;) {
    const status = flock(fd, op);
    if (status === 0) return { status, errno: 0 };
    const errno = errnoFn!();
    if (errno !== EINTR) return { status, errno };
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // Postfix sleeps a second
  }
}
