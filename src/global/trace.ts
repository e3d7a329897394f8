/*
 * trace - the delivery agent's client of the trace service: record what happened to a
 * recipient for a delivery report (sendmail -v, -bv, DSN SUCCESS notices).
 * Counterpart: postfix/src/global/trace.c (trace_append(); trace_flush() comes with qmgr).
 */
import { msg } from '../util/msg.js';
import { appendRequest, NO_RELAY_AGENT } from './bounce.js';
import { DEL_REQ_FLAG_USR_VRFY } from './deliver_request.js';
import type { Dsn } from './dsn.js';
import { logAdhoc } from './log_adhoc.js';
import { mailCommandClient } from './mail_command_client.js';
import { mailConfStr } from './mail_conf.js';
import { MAIL_ATTR_PROTO_BOUNCE, MAIL_CLASS_PRIVATE } from './mail_proto.js';
import type { MsgStats } from './msg_stats.js';
import type { Recipient } from './recipient_list.js';

/** Postfix: trace_append(). 0 when recorded, -1 after a warning. */
export async function traceAppend(flags: number, id: string, stats: MsgStats, rcpt: Recipient, relay: string, dsn: Dsn): Promise<number> {
  const my: Dsn = { ...dsn, reason: relay !== NO_RELAY_AGENT ? `delivery via ${relay}: ${dsn.reason}` : dsn.reason };
  const service = mailConfStr('trace_service_name');
  if ((await mailCommandClient(MAIL_CLASS_PRIVATE, service, MAIL_ATTR_PROTO_BOUNCE, appendRequest(flags, id, rcpt, my))) !== 0) {
    msg.warn(`${id}: ${service} service failure`);
    return -1;
  }
  if (flags & DEL_REQ_FLAG_USR_VRFY) logAdhoc(id, stats, rcpt, relay, dsn, my.action);
  return 0;
}
