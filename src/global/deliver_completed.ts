/*
 * deliver_completed - mark a recipient as done in its queue file, so that no later
 * delivery attempt sends to it again.
 * Counterpart: postfix/src/global/deliver_completed.c: the recipient record's type byte
 * at its offset becomes REC_TYPE_DONE.
 */
import type { FileHandle } from 'node:fs/promises';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { REC_TYPE_DONE } from './rec_type.js';

/** Postfix: deliver_completed(). offset -1: nothing to mark. Dies when the update fails. */
export async function deliverCompleted(file: FileHandle, path: string, offset: number): Promise<void> {
  if (offset === -1) return;
  if (offset <= 0) msg.panic(`deliver_completed: bad offset ${offset}`);
  try {
    await file.write(Buffer.from([REC_TYPE_DONE]), 0, 1, offset);
  } catch (err) {
    msg.fatal(`update queue file ${path}: ${strerror(err)}`);
  }
}
