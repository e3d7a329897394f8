/*
 * mail_trigger - wake up a mail system service: a request of one-letter commands sent to
 * <class>/<service> under the queue directory, as a fifo or a UNIX-domain socket.
 * Counterpart: postfix/src/global/mail_trigger.c. The endpoint type decides the transport;
 * trigger_timeout bounds each attempt.
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { fifoTrigger } from '../util/fifo_trigger.js';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { unixTrigger } from '../util/unix_trigger.js';
import { mailPathname, varTriggerTimeout } from './mail_proto.js';

/** Postfix: mail_trigger(). 0 when the request was sent, -1 (after a warning or two) if not. */
export async function mailTrigger(serviceClass: string, service: string, request: string): Promise<number> {
  const path = mailPathname(serviceClass, service);
  let st: Stats;
  try {
    st = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    msg.warn(`unable to look up ${path}: ${strerror(err)}`);
    return -1;
  }
  if (st.isFIFO()) return fifoTrigger(path, request, varTriggerTimeout());
  if (st.isSocket()) return unixTrigger(path, request, varTriggerTimeout());
  msg.warn(`${path} is not a socket or a fifo`);
  return -1;
}
