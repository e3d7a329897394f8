/*
 * verify - adapt the outcome of an address verification probe to the verify service:
 * update the cached status of the recipient (and of its original address), and log it.
 * Counterpart: postfix/src/global/verify.c (verify_append()).
 */
import { msg } from '../util/msg.js';
import { DEL_RCPT_STAT_OK } from './deliver_request.js';
import type { Dsn } from './dsn.js';
import { logAdhoc } from './log_adhoc.js';
import { mailConfBool, mailConfStr } from './mail_conf.js';
import type { MsgStats } from './msg_stats.js';
import type { Recipient } from './recipient_list.js';
import { verifyClntUpdate, VRFY_STAT_OK } from './verify_clnt.js';

/** Postfix: verify_append(). 0 when the verify service took it, -1 after a warning. */
export async function verifyAppend(id: string, stats: MsgStats, rcpt: Recipient, relay: string, dsn: Dsn, vrfyStat: number): Promise<number> {
  let action = dsn.action;
  let status: number;
  if (mailConfBool('address_verify_negative_cache') || vrfyStat === DEL_RCPT_STAT_OK) {
    status = rcpt.orig_addr !== '' ? await verifyClntUpdate(rcpt.orig_addr, vrfyStat, dsn.reason) : VRFY_STAT_OK;
    // One verify request, two updates: the original and the final address.
    if (status === VRFY_STAT_OK && rcpt.address !== rcpt.orig_addr) status = await verifyClntUpdate(rcpt.address, vrfyStat, dsn.reason);
  } else {
    action = 'undeliverable-but-not-cached';
    status = VRFY_STAT_OK;
  }
  if (status === VRFY_STAT_OK) {
    logAdhoc(id, stats, rcpt, relay, dsn, action);
    return 0;
  }
  msg.warn(`${id}: ${mailConfStr('address_verify_service_name')} service failure`);
  return -1;
}
