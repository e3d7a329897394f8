/*
 * mbox_open - open a UNIX-style mailbox file for exclusive access, and let it go again.
 * Counterpart: postfix/src/global/mbox_open.c. Dot-lock first (for regular files, and
 * paths that do not exist yet), then safe_open() without blocking on odd files, then the
 * kernel locks (flock, fcntl) on regular files; a mailbox whose link count changed
 * meanwhile was replaced under us. XXX safe_open() uses synchronous system calls.
 */
import { closeSync, constants, fstatSync, statSync, type Stats } from 'node:fs';
import { msg } from '../util/msg.js';
import { MYFLOCK_STYLE_FCNTL, MYFLOCK_STYLE_FLOCK } from '../util/myflock.js';
import { safeOpen } from '../util/safe_open.js';
import { errnoOf } from '../util/strerror.js';
import { deliverFlock, deliverLockParams, type DeliverLockParams } from './deliver_flock.js';
import { dotLockfile, dotUnlockfile } from './dot_lockfile.js';
import { MBOX_DOT_LOCK, MBOX_DOT_LOCK_MAY_FAIL, MBOX_FCNTL_LOCK, MBOX_FLOCK_LOCK } from './mbox_conf.js';

const EAGAIN = 11;
const ENOSPC = 28;
const EFBIG = 27;
const EDQUOT = 122;
const ESTALE = 116;

/** An open, locked mailbox (Postfix: MBOX). */
export interface Mbox {
  path: string;
  fd: number;
  st: Stats;
  locked: number; // the MBOX_*_LOCK bits that are held
}

/** Why a mailbox could not be opened: the DSN detail and the reason text. */
export interface MboxError {
  status: string;
  reason: string;
}

/** Postfix: mbox_dsn(): the DSN detail for an errno, or the default. */
export function mboxDsn(err: number | undefined, defDsn: string): string {
  if (err === EAGAIN || err === ESTALE) return '4.2.0';
  if (err === ENOSPC) return '4.3.0';
  if (err === EDQUOT || err === EFBIG) return '5.2.2';
  return defDsn;
}

function isRegular(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Postfix: mbox_open(). flags and mode are open(2)'s; chownUid/chownGid (-1: leave) for a
 * new file. Returns the locked mailbox, or why not.
 */
export async function mboxOpen(path: string, flags: number, mode: number, chownUid: number, chownGid: number,
  lockStyle: number, defDsn: string, params: DeliverLockParams = deliverLockParams()): Promise<Mbox | MboxError> {
  let locked = 0;

  // stat(), not lstat(): no dot-lock for /dev/null and other non-files behind a symlink.
  const before = isRegular(path);
  if (lockStyle & MBOX_DOT_LOCK && (before === undefined || before.isFile())) {
    const failed = await dotLockfile(path, params);
    if (failed === undefined) {
      locked |= MBOX_DOT_LOCK;
    } else if (errnoOf(failed.err) === 17 /* EEXIST */) {
      return { status: mboxDsn(EAGAIN, defDsn), reason: failed.why };
    } else if (lockStyle & MBOX_DOT_LOCK_MAY_FAIL) {
      msg.warn(failed.why);
    } else {
      return { status: mboxDsn(errnoOf(failed.err), defDsn), reason: failed.why };
    }
  }

  // Non-blocking, so that a FIFO or a device cannot make us wait.
  const opened = safeOpen(path, flags | constants.O_NONBLOCK, mode, chownUid, chownGid);
  if (opened.fd === null) {
    if (locked & MBOX_DOT_LOCK) dotUnlockfile(path);
    return { status: mboxDsn(errnoOf(opened.code), defDsn), reason: opened.why };
  }
  const { fd } = opened;
  let st = opened.st;

  const giveUp = (status: string, reason: string): MboxError => {
    if (locked & MBOX_DOT_LOCK) dotUnlockfile(path);
    closeSync(fd);
    return { status, reason };
  };

  if (st.isFile()) {
    for (const [bit, style] of [[MBOX_FLOCK_LOCK, MYFLOCK_STYLE_FLOCK], [MBOX_FCNTL_LOCK, MYFLOCK_STYLE_FCNTL]] as const) {
      if ((lockStyle & bit) === 0) continue;
      const failed = await deliverFlock(fd, style, params);
      if (failed !== undefined) return giveUp(mboxDsn(errnoOf(failed.err), defDsn), failed.why);
    }
    locked |= lockStyle;

    // Someone (GNU POP3D, reportedly) replaced the mailbox between our open and our lock.
    st = fstatSync(fd);
    if (st.nlink !== 1) {
      msg.warn(`${path}: file status changed unexpectedly`);
      return giveUp(mboxDsn(EAGAIN, defDsn), 'target file status changed unexpectedly');
    }
  }
  return { path, fd, st, locked };
}

export function isMboxError(r: Mbox | MboxError): r is MboxError {
  return (r as MboxError).reason !== undefined;
}

/** Postfix: mbox_release(): remove the dot-lock; the caller closes the file. */
export function mboxRelease(mbox: Mbox): void {
  if (mbox.locked & MBOX_DOT_LOCK) dotUnlockfile(mbox.path);
}
