/*
 * myflock - lock or unlock a whole open file, with flock() or fcntl() record locks.
 * Counterpart: postfix/src/util/myflock.c and myflock.h (same style and operation codes).
 * myflock() blocks the thread like the C version does, which suits commands; daemons use
 * myflockAsync(), which waits for a blocking lock on a koffi worker thread instead.
 * A lock that another process holds always fails with EAGAIN under MYFLOCK_OP_NOWAIT.
 */
import { msg } from './msg.js';
import {
  blockingLockCall, lastErrno, libc, sysError, EACCES, EAGAIN, EINTR, F_RDLCK, F_SETLK,
  F_SETLKW, F_UNLCK, F_WRLCK, LAYOUT, LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, SIZEOF_FLOCK,
} from './sys_libc.js';

export const MYFLOCK_STYLE_FLOCK = 1;
export const MYFLOCK_STYLE_FCNTL = 2;

export const MYFLOCK_OP_NONE = 0;
export const MYFLOCK_OP_SHARED = 1;
export const MYFLOCK_OP_EXCLUSIVE = 2;
export const MYFLOCK_OP_NOWAIT = 4;
export const MYFLOCK_OP_BITS = MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT;

/* flock() operations, indexed by the MYFLOCK_OP_ code; -1 marks a meaningless combination. */
const FLOCK_OPS = [LOCK_UN, LOCK_SH, LOCK_EX, -1, -1, LOCK_SH | LOCK_NB, LOCK_EX | LOCK_NB, -1];
const FCNTL_TYPES = [F_UNLCK, F_RDLCK, F_WRLCK];

interface LockCall {
  syscall: 'flock' | 'fcntl';
  arg: number; // the flock() operation, or the fcntl() command
  lock?: Buffer; // struct flock for fcntl()
}

function lockCall(style: number, operation: number): LockCall {
  if ((operation & MYFLOCK_OP_BITS) !== operation) msg.panic(`myflock: improper operation type: 0x${operation.toString(16)}`);
  switch (style) {
    case MYFLOCK_STYLE_FLOCK: {
      const op = FLOCK_OPS[operation]!;
      if (op < 0) msg.panic(`myflock: improper operation type: 0x${operation.toString(16)}`);
      return { syscall: 'flock', arg: op };
    }
    case MYFLOCK_STYLE_FCNTL: {
      const type = FCNTL_TYPES[operation & ~MYFLOCK_OP_NOWAIT];
      if (type === undefined) msg.panic(`myflock: improper operation type: 0x${operation.toString(16)}`);
      // l_whence SEEK_SET, l_start 0, l_len 0: the whole file, however it grows.
      const lock = Buffer.alloc(SIZEOF_FLOCK);
      lock.writeInt16LE(type, LAYOUT.flock.l_type);
      return { syscall: 'fcntl', arg: operation & MYFLOCK_OP_NOWAIT ? F_SETLK : F_SETLKW, lock };
    }
    default:
      return msg.panic(`myflock: unsupported lock style: 0x${style.toString(16)}`);
  }
}

/* One errno for "someone else has it", whatever the system said. */
function lockError(call: LockCall, operation: number, num: number): Error {
  const busy = (operation & MYFLOCK_OP_NOWAIT) !== 0 && (num === EAGAIN || num === EACCES);
  return sysError(call.syscall, busy ? EAGAIN : num);
}

function sleepOneSecond(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

/**
 * Postfix: myflock(). Throws a system error on failure; EAGAIN means that the lock is
 * held elsewhere (MYFLOCK_OP_NOWAIT only). An interrupted call is retried after a second.
 */
export function myflock(fd: number, style: number, operation: number): void {
  const call = lockCall(style, operation);
  const c = libc();
  for (;;) {
    const status = call.syscall === 'flock' ? c.flock(fd, call.arg) : c.fcntlLock(fd, call.arg, call.lock!);
    if (status >= 0) return;
    const num = lastErrno();
    if (num !== EINTR) throw lockError(call, operation, num);
    sleepOneSecond();
  }
}

/** myflock() that keeps the event loop running while it waits for a lock. */
export async function myflockAsync(fd: number, style: number, operation: number): Promise<void> {
  const call = lockCall(style, operation);
  if (operation & MYFLOCK_OP_NOWAIT || operation === MYFLOCK_OP_NONE) {
    myflock(fd, style, operation); // returns at once
    return;
  }
  for (;;) {
    const [status, num] = call.syscall === 'flock'
      ? await blockingLockCall('flock', fd, call.arg)
      : await blockingLockCall('fcntl', fd, call.arg, call.lock!);
    if (status >= 0) return;
    if (num !== EINTR) throw lockError(call, operation, num);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** True when err is myflock()'s "held by someone else". */
export function isLockBusy(err: unknown): boolean {
  return (err as { errno?: number } | null)?.errno === -EAGAIN;
}
