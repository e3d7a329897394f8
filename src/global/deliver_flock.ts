/*
 * deliver_flock - lock an open mailbox (or logfile) for mail delivery, trying for a while.
 * Counterpart: postfix/src/global/deliver_flock.c. Non-blocking attempts, deliver_lock_attempts
 * of them, deliver_lock_delay apart (randomized, as rand_sleep() does); the waits are timers.
 */
import { MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OP_NOWAIT, myflock } from '../util/myflock.js';
import { randSleep } from '../util/rand_sleep.js';
import { strerror } from '../util/strerror.js';
import { loadMainCf } from './mail_conf.js';

const MILLION = 1_000_000;

/** The main.cf parameters of mailbox locking (Postfix: var_flock_tries, _delay, _stale). */
export interface DeliverLockParams {
  deliver_lock_attempts: number;
  deliver_lock_delay: number; // seconds
  stale_lock_time: number; // seconds
}

export function deliverLockParams(): DeliverLockParams {
  return loadMainCf(['deliver_lock_attempts', 'deliver_lock_delay', 'stale_lock_time']);
}

/** Postfix: deliver_flock(). Returns undefined, or the reason text and the error. */
export async function deliverFlock(fd: number, lockStyle: number, params: DeliverLockParams = deliverLockParams()): Promise<{ why: string; err: unknown } | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      myflock(fd, lockStyle, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT);
      return undefined;
    } catch (err) {
      if (attempt >= params.deliver_lock_attempts) return { why: `unable to lock for exclusive access: ${strerror(err)}`, err };
    }
    await randSleep(params.deliver_lock_delay * MILLION, params.deliver_lock_delay * MILLION / 2);
  }
}
