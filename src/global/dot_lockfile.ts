/*
 * dot_lockfile - lock a mailbox the traditional way, with a "path.lock" file beside it.
 * Counterpart: postfix/src/global/dot_lockfile.c. The lock file is created with O_EXCL (no
 * symlink is followed) and mode 0; one older than stale_lock_time is removed; attempts are
 * deliver_lock_attempts, deliver_lock_delay apart (randomized). The waits are timers.
 */
import { closeSync, constants, openSync, statSync, unlinkSync } from 'node:fs';
import { randSleep } from '../util/rand_sleep.js';
import { isErrno, strerror } from '../util/strerror.js';
import { deliverLockParams, type DeliverLockParams } from './deliver_flock.js';

const { O_CREAT, O_EXCL, O_WRONLY } = constants;
const MILLION = 1_000_000;

/** Postfix: dot_lockfile(). Returns undefined, or the reason text and the error. */
export async function dotLockfile(path: string, params: DeliverLockParams = deliverLockParams()): Promise<{ why: string; err: unknown } | undefined> {
  const lockFile = `${path}.lock`;
  let failure: unknown;
  for (let attempt = 1; ; attempt++) {
    try {
      closeSync(openSync(lockFile, O_WRONLY | O_EXCL | O_CREAT, 0));
      return undefined;
    } catch (err) {
      failure = err;
    }
    // Only "someone else has it" is worth waiting for.
    if (attempt >= params.deliver_lock_attempts || !isErrno(failure, 'EEXIST')) break;
    // Break a lock that its owner forgot, or give up when it cannot be removed.
    let st;
    try {
      st = statSync(lockFile);
    } catch {
      st = undefined;
    }
    if (st !== undefined && Math.floor(Date.now() / 1000) > Math.floor(st.ctimeMs / 1000) + params.stale_lock_time) {
      try {
        unlinkSync(lockFile);
      } catch (err) {
        if (!isErrno(err, 'ENOENT')) {
          failure = err;
          break;
        }
      }
    }
    await randSleep(params.deliver_lock_delay * MILLION, params.deliver_lock_delay * MILLION / 2);
  }
  return { why: `unable to create lock file ${lockFile}: ${strerror(failure)}`, err: failure };
}

/** Postfix: dot_unlockfile(). Errors are ignored. */
export function dotUnlockfile(path: string): void {
  try {
    unlinkSync(`${path}.lock`);
  } catch {
    // the lock is gone already, or cannot be removed: nothing to be done
  }
}
