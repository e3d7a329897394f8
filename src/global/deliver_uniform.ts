/*
 * deliver_uniform - give every recipient of a delivery request the same status, as the
 * discard(8) and error(8) delivery agents do: open the queue file, report each recipient
 * through sent(), bounce_append() or defer_append(), and mark the recipients done.
 * Counterpart: deliver_message() of postfix/src/discard/discard.c and of error.c, which
 * Postfix writes twice; here both programs share this one.
 */
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { NO_RELAY_AGENT } from './bounce.js';
import { deliverCompleted } from './deliver_completed.js';
import { delReqTraceFlags, openQueueFileRw, type DeliverRequest } from './deliver_request.js';
import { dsnSimple, type Dsn } from './dsn.js';
import { dsnSplit } from './dsn_util.js';
import { queueLayoutFromConfig } from './mail_queue.js';
import type { MsgStats } from './msg_stats.js';
import type { Recipient } from './recipient_list.js';

/** A per-recipient status report: sent(), bounce_append() or defer_append(). */
export type RecipientAppend = (flags: number, id: string, stats: MsgStats, rcpt: Recipient, relay: string, dsn: Dsn) => Promise<number>;

/**
 * Postfix: deliver_message() of discard and error. defDsn is the status used unless the
 * next-hop text starts with one; a recipient is marked done when its report succeeded and
 * markDone says so. Returns the OR of the report results.
 */
export async function deliverUniform(request: DeliverRequest, defDsn: string, append: RecipientAppend, markDone: boolean): Promise<number> {
  const myname = 'deliver_message';
  if (msg.verbose) msg.info(`deliver_message: from ${request.sender}`);
  if (request.nexthop === '') msg.fatal('empty nexthop hostname');
  if (request.rcpt_list.length <= 0) msg.fatal(`recipient count: ${request.rcpt_list.length}`);

  // Rather than throw mail away when the system is short of resources, die: the queue
  // manager backs off and tries again later.
  const src = await openQueueFileRw(queueLayoutFromConfig(), request.queue_name, request.queue_id)
    .catch((err) => msg.fatal(`${myname}: open ${request.queue_name} ${request.queue_id}: ${strerror(err)}`));
  if (msg.verbose) msg.info(`${myname}: file ${src.path}`);

  const dp = dsnSplit(defDsn, request.nexthop);
  const dsn = dsnSimple(dp.dsn, dp.text);
  let result = 0;
  for (const rcpt of request.rcpt_list) {
    const status = await append(delReqTraceFlags(request.flags), request.queue_id, request.msg_stats, rcpt, NO_RELAY_AGENT, dsn);
    if (status === 0 && markDone) await deliverCompleted(src.file, src.path, rcpt.offset);
    result |= status;
  }
  await src.file.close().catch((err) => msg.warn(`close ${request.queue_name} ${request.queue_id}: ${strerror(err)}`));
  return result;
}
