/*
 * mail_open_ok - is a queue file fit to be opened: a sane queue name and id, a regular
 * file, and complete (owner permissions rwx)?
 * Counterpart: postfix/src/global/mail_open_ok.c.
 */
import { lstat } from 'node:fs/promises';
import { msg } from '../util/msg.js';
import { isErrno, strerror } from '../util/strerror.js';
import { mailQueueIdOk, mailQueueNameOk, mailQueuePath, MAIL_QUEUE_STAT_READY, type QueueLayout } from './mail_queue.js';

const MINUTE_SECONDS = 60;

/** Postfix: mail_open_ok(). The queue path (relative to the queue directory), or null. */
export async function mailOpenOk(layout: QueueLayout, queueName: string, queueId: string): Promise<string | null> {
  if (!mailQueueNameOk(queueName)) {
    msg.warn(`bad mail queue name: ${queueName}`);
    return null;
  }
  if (!mailQueueIdOk(queueId)) return null;
  const path = mailQueuePath(layout, queueName, queueId);
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) msg.warn(`${path}: ${strerror(err)}`);
    return null;
  }
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
