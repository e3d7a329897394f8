/*
 * sent - report a recipient as delivered: log it, and send a delivery record to the
 * trace service when the sender asked for one (sendmail -v, DSN SUCCESS).
 * Counterpart: postfix/src/global/sent.c.
 */
import { msg } from '../util/msg.js';
import { DEL_RCPT_STAT_OK, DEL_REQ_FLAG_MTA_VRFY, DEL_REQ_FLAG_RECORD, DEL_REQ_FLAG_REC_DLY_SENT, DEL_REQ_FLAG_USR_VRFY } from './deliver_request.js';
import { deferAppend } from './defer.js';
import { dsnValid } from './dsn_util.js';
import type { Dsn } from './dsn.js';
import { logAdhoc } from './log_adhoc.js';
import { mailConfStr } from './mail_conf.js';
import type { MsgStats } from './msg_stats.js';
import type { Recipient } from './recipient_list.js';
import { traceAppend } from './trace.js';
import { verifyAppend } from './verify.js';

export const DSN_NOTIFY_NEVER = 1 << 0;
export const DSN_NOTIFY_SUCCESS = 1 << 1;
export const DSN_NOTIFY_FAILURE = 1 << 2;
export const DSN_NOTIFY_DELAY = 1 << 3;

/** Postfix: sent(). 0 when done, -1 when the recipient was deferred instead. */
export async function sent(flags: number, id: string, stats: MsgStats, rcpt: Recipient, relay: string, dsn: Dsn): Promise<number> {
  const my: Dsn = { ...dsn };
  if (my.status[0] !== '2' || !dsnValid(my.status)) {
    msg.warn(`sent: ignoring dsn code "${my.status}"`);
    my.status = '2.0.0';
  }
  if (flags & DEL_REQ_FLAG_MTA_VRFY) {
    my.action = 'deliverable';
    return verifyAppend(id, stats, rcpt, relay, my, DEL_RCPT_STAT_OK);
  }
  if (flags & DEL_REQ_FLAG_USR_VRFY) {
    my.action = 'deliverable';
    return traceAppend(flags, id, stats, rcpt, relay, my);
  }
  if (my.action === '') my.action = 'delivered';
  // Record every delivery, or only delayed ones, when asked to; and for DSN SUCCESS.
  const recordAll = (flags & DEL_REQ_FLAG_RECORD) !== 0;
  const recordDelayed = (flags & DEL_REQ_FLAG_REC_DLY_SENT) !== 0 && (rcpt.dsn_notify === 0 || (rcpt.dsn_notify & DSN_NOTIFY_DELAY) !== 0);
  if ((!recordAll && !recordDelayed || (await traceAppend(flags, id, stats, rcpt, relay, my)) === 0)
    && ((rcpt.dsn_notify & DSN_NOTIFY_SUCCESS) === 0 || (await traceAppend(flags, id, stats, rcpt, relay, my)) === 0)) {
    logAdhoc(id, stats, rcpt, relay, my, 'sent');
    return 0;
  }
  my.reason = `${id}: ${mailConfStr('trace_service_name')} service failure`;
  my.status = '4.3.0';
  return deferAppend(flags, id, stats, rcpt, relay, my);
}
