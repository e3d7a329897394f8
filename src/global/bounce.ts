/*
 * bounce - the delivery agent's client of the bounce service: record that a recipient
 * could not be delivered (the bounce daemon will tell the sender), and log it.
 * Counterpart: postfix/src/global/bounce.c (bounce_append() and bounce_append_intern();
 * the flush, warn and one-recipient requests come with the programs that send them).
 * XXX No delivery_status_filter yet (MAIL_SERVER_BOUNCE_INIT); discard and error do
 * not use one.
 */
import { sendAttrInt, sendAttrStr } from '../util/attr.js';
import { msg } from '../util/msg.js';
import { DEL_RCPT_STAT_BOUNCE, DEL_REQ_FLAG_MTA_VRFY, DEL_REQ_FLAG_RECORD, DEL_REQ_FLAG_USR_VRFY } from './deliver_request.js';
import { deferAppendIntern } from './defer.js';
import { dsnValid } from './dsn_util.js';
import type { Dsn } from './dsn.js';
import { sendDsn } from './dsn.js';
import { logAdhoc } from './log_adhoc.js';
import { mailCommandClient } from './mail_command_client.js';
import { mailConfBool, mailConfStr } from './mail_conf.js';
import { MAIL_ATTR_FLAGS, MAIL_ATTR_NREQ, MAIL_ATTR_PROTO_BOUNCE, MAIL_ATTR_QUEUEID, MAIL_CLASS_PRIVATE } from './mail_proto.js';
import type { MsgStats } from './msg_stats.js';
import { sendRecipient, type Recipient } from './recipient_list.js';
import { traceAppend } from './trace.js';
import { verifyAppend } from './verify.js';

export const BOUNCE_CMD_APPEND = 0; // append log
export const BOUNCE_CMD_FLUSH = 1; // send log
export const BOUNCE_CMD_WARN = 2; // send warning, don't delete log
export const BOUNCE_CMD_VERP = 3; // send log, verp style
export const BOUNCE_CMD_ONE = 4; // send one recipient notice
export const BOUNCE_CMD_TRACE = 5; // send delivery record

export const BOUNCE_FLAG_NONE = 0;
export const BOUNCE_FLAG_CLEAN = 1 << 0; // remove log on error
export const BOUNCE_FLAG_DELRCPT = 1 << 1; // delete recipient from queue file

/** Postfix: NO_RELAY_AGENT, the relay of a delivery that involved no other host. */
export const NO_RELAY_AGENT = 'none';

/** The APPEND request that bounce, defer and trace services take. */
export function appendRequest(flags: number, id: string, rcpt: Recipient, dsn: Dsn) {
  return [
    sendAttrInt(MAIL_ATTR_NREQ, BOUNCE_CMD_APPEND), sendAttrInt(MAIL_ATTR_FLAGS, flags),
    sendAttrStr(MAIL_ATTR_QUEUEID, id), sendRecipient(rcpt), sendDsn(dsn),
  ];
}

/** Postfix: bounce_append(). 0 when the bounce is recorded, -1 otherwise (then deferred). */
export async function bounceAppend(flags: number, id: string, stats: MsgStats, rcpt: Recipient, relay: string, dsn: Dsn): Promise<number> {
  const my: Dsn = { ...dsn };
  // The status may come from a hostile server: correct it rather than trust it.
  if (my.status[0] !== '5' || !dsnValid(my.status)) {
    msg.warn(`bounce_append: ignoring dsn code "${my.status}"`);
    my.status = '5.0.0';
  }
  return bounceAppendIntern(flags, id, stats, rcpt, relay, my);
}

/** Postfix: bounce_append_intern(). */
export async function bounceAppendIntern(flags: number, id: string, stats: MsgStats, rcpt: Recipient, relay: string, dsn: Dsn): Promise<number> {
  const my: Dsn = { ...dsn };
  if (flags & DEL_REQ_FLAG_MTA_VRFY) {
    my.action = 'undeliverable';
    return verifyAppend(id, stats, rcpt, relay, my, DEL_RCPT_STAT_BOUNCE);
  }
  if (flags & DEL_REQ_FLAG_USR_VRFY) {
    my.action = 'undeliverable';
    return traceAppend(flags, id, stats, rcpt, relay, my);
  }
  const softBounce = mailConfBool('soft_bounce');
  // Pretending not to bounce: no defer log where no bounce log would be kept.
  if (softBounce && flags & BOUNCE_FLAG_CLEAN) return -1;

  // All recipients go to the bounce log whatever their DSN NOTIFY: it also feeds
  // postmaster notices.
  if (softBounce) {
    my.status = `4${my.status.slice(1)}`;
    my.action = 'delayed';
  } else {
    my.action = 'failed';
  }
  const service = mailConfStr(softBounce ? 'defer_service_name' : 'bounce_service_name');
  if ((await mailCommandClient(MAIL_CLASS_PRIVATE, service, MAIL_ATTR_PROTO_BOUNCE, appendRequest(flags, id, rcpt, my))) === 0
    && ((flags & DEL_REQ_FLAG_RECORD) === 0 || (await traceAppend(flags, id, stats, rcpt, relay, my)) === 0)) {
    logAdhoc(id, stats, rcpt, relay, my, softBounce ? 'SOFTBOUNCE' : 'bounced');
    return softBounce ? -1 : 0;
  }
  if ((flags & BOUNCE_FLAG_CLEAN) === 0) {
    my.status = '4.3.0';
    my.reason = `${mailConfStr('bounce_service_name')} or ${mailConfStr('trace_service_name')} service failure`;
    return deferAppendIntern(flags, id, stats, rcpt, relay, my);
  }
  return -1;
}
