/*
 * mbox_conf - the mailbox locking methods this system offers.
 * Counterpart: postfix/src/global/mbox_conf.c (mbox_lock_names). On Linux these are
 * flock(), fcntl() and dot-lock files, in that order (see util/myflock.ts).
 */
export const MBOX_LOCK_NAMES: readonly string[] = ['flock', 'fcntl', 'dotlock'];

/** Postfix: mbox_lock_names(). */
export function mboxLockNames(): string[] {
  return [...MBOX_LOCK_NAMES];
}
