/*
 * mail_open_ok - is a queue file fit to be opened: a sane queue name and id, a regular
 * file, and complete (owner permissions rwx)?
 * Counterpart: postfix/src/global/mail_open_ok.c. mailOpenOk() is for daemons,
 * mailOpenOkSync() for commands such as postsuper.
 */
import { lstatSync, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { msg } from '../util/msg.js';
import { isErrno, strerror } from '../util/strerror.js';
import { mailQueueIdOk, mailQueueNameOk, mailQueuePath, MAIL_QUEUE_STAT_READY, type QueueLayout } from './mail_queue.js';

const MINUTE_SECONDS = 60;

/** The queue path for a sane queue name and id, else null (a bad name is reported). */
function queuePathOk(layout: QueueLayout, queueName: string, queueId: string): string | null {
  if (!mailQueueNameOk(queueName)) {
    msg.warn(`bad mail queue name: ${queueName}`);
    return null;
  }
  if (!mailQueueIdOk(queueId)) return null;
  return mailQueuePath(layout, queueName, queueId);
}

/** What lstat() found: the path when it is fit to be opened, or null. */
function statOk(path: string, st: Stats): string | null {
  if (!st.isFile()) {
    msg.warn(`${path}: uid ${st.uid}: not a regular file`);
    return null;
  }
  if ((st.mode & 0o700) !== MAIL_QUEUE_STAT_READY) return null;
  // A file seen while being renamed has two links for a moment: warn only when that lasts.
  if (st.nlink > 1) {
    if (msg.verbose) msg.info(`${path}: uid ${st.uid}: file has ${st.nlink} links`);
    else if (st.ctimeMs / 1000 < Date.now() / 1000 - MINUTE_SECONDS) msg.warn(`${path}: uid ${st.uid}: file has ${st.nlink} links`);
  }
  return path;
}

/** lstat() failed: only a missing file is no news. */
function statFailed(path: string, err: unknown): null {
  if (!isErrno(err, 'ENOENT')) msg.warn(`${path}: ${strerror(err)}`);
  return null;
}

/** Postfix: mail_open_ok(). The queue path (relative to the queue directory), or null. */
export async function mailOpenOk(layout: QueueLayout, queueName: string, queueId: string): Promise<string | null> {
  const path = queuePathOk(layout, queueName, queueId);
  if (path === null) return null;
  let st: Stats;
  try {
    st = await lstat(path);
  } catch (err) {
    return statFailed(path, err);
  }
  return statOk(path, st);
}

/** Postfix: mail_open_ok(), for commands. */
export function mailOpenOkSync(layout: QueueLayout, queueName: string, queueId: string): string | null {
  const path = queuePathOk(layout, queueName, queueId);
  if (path === null) return null;
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    return statFailed(path, err);
  }
  return statOk(path, st);
}
