/*
 * mbox_conf - the mailbox locking methods this system offers, and lock lists as bit masks.
 * Counterpart: postfix/src/global/mbox_conf.c and mbox_conf.h. On Linux the methods are
 * flock(), fcntl() and dot-lock files, in that order (see util/myflock.ts, dot_lockfile.ts).
 */
import { nameMask } from '../util/name_mask.js';

export const MBOX_FLOCK_LOCK = 1 << 0;
export const MBOX_FCNTL_LOCK = 1 << 1;
export const MBOX_DOT_LOCK = 1 << 2;
/** Internal: a dot-lock file that cannot be created is only worth a warning. */
export const MBOX_DOT_LOCK_MAY_FAIL = 1 << 3;

const MBOX_MASK: Readonly<Record<string, number>> = {
  flock: MBOX_FLOCK_LOCK,
  fcntl: MBOX_FCNTL_LOCK,
  dotlock: MBOX_DOT_LOCK,
};

export const MBOX_LOCK_NAMES: readonly string[] = Object.keys(MBOX_MASK);

/** Postfix: mbox_lock_mask(). An unknown name is fatal, in mailbox_delivery_lock's name. */
export function mboxLockMask(names: string): number {
  return nameMask('mailbox_delivery_lock', MBOX_MASK, names);
}

/** Postfix: mbox_lock_names(). */
export function mboxLockNames(): string[] {
  return [...MBOX_LOCK_NAMES];
}
