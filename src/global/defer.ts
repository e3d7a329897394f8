/*
 * defer - the delivery agent's client of the defer service: record that a recipient must
 * wait (mailq shows why; a later delay warning or bounce uses it), log it, and tell the
 * fast flush service about the destination.
 * Counterpart: postfix/src/global/defer.c (defer_append() and defer_append_intern(); the
 * flush and warn requests come with the programs that send them).
 */
import { msg } from '../util/msg.js';
import { appendRequest } from './bounce.js';
import { DEL_RCPT_STAT_DEFER, DEL_REQ_FLAG_MTA_VRFY, DEL_REQ_FLAG_RECORD, DEL_REQ_FLAG_USR_VRFY } from './deliver_request.js';
import { dsnValid } from './dsn_util.js';
import type { Dsn } from './dsn.js';
import { flushAdd, FLUSH_STAT_DENY, FLUSH_STAT_OK } from './flush_clnt.js';
import { logAdhoc } from './log_adhoc.js';
import { mailCommandClient } from './mail_command_client.js';
import { mailConfStr } from './mail_conf.js';
import { MAIL_ATTR_PROTO_BOUNCE, MAIL_CLASS_PRIVATE } from './mail_proto.js';
import type { MsgStats } from './msg_stats.js';
import type { Recipient } from './recipient_list.js';
import { traceAppend } from './trace.js';
import { verifyAppend } from './verify.js';

/** Postfix: defer_append(). Always -1: the recipient is not done. */
export async function deferAppend(flags: number, id: string, stats: MsgStats, rcpt: Recipient, relay: string, dsn: Dsn): Promise<number> {
  const my: Dsn = { ...dsn };
  if (my.status[0] !== '4' || !dsnValid(my.status)) {
    msg.warn(`defer_append: ignoring dsn code "${my.status}"`);
    my.status = '4.0.0';
  }
  return deferAppendIntern(flags, id, stats, rcpt, relay, my);
}

/** Postfix: defer_append_intern(). */
export async function deferAppendIntern(flags: number, id: string, stats: MsgStats, rcpt: Recipient, relay: string, dsn: Dsn): Promise<number> {
  const my: Dsn = { ...dsn };
  if (flags & DEL_REQ_FLAG_MTA_VRFY) {
    my.action = 'undeliverable';
    return verifyAppend(id, stats, rcpt, relay, my, DEL_RCPT_STAT_DEFER);
  }
  if (flags & DEL_REQ_FLAG_USR_VRFY) {
    my.action = 'undeliverable';
    return traceAppend(flags, id, stats, rcpt, relay, my);
  }
  // All deferred recipients go to the defer log whatever their DSN NOTIFY: mailq and
  // postmaster notices use it.
  my.action = 'delayed';
  const service = mailConfStr('defer_service_name');
  if ((await mailCommandClient(MAIL_CLASS_PRIVATE, service, MAIL_ATTR_PROTO_BOUNCE, appendRequest(flags, id, rcpt, my))) !== 0) {
    msg.warn(`${id}: ${service} service failure`);
  }
  logAdhoc(id, stats, rcpt, relay, my, 'deferred');
  if (flags & DEL_REQ_FLAG_RECORD && (await traceAppend(flags, id, stats, rcpt, relay, my)) !== 0) {
    msg.warn(`${id}: ${mailConfStr('trace_service_name')} service failure`);
  }
  // Tell the fast flush service here rather than in the defer daemon: more robust.
  const at = rcpt.address.lastIndexOf('@');
  const domain = at < 0 ? '' : rcpt.address.slice(at + 1);
  if (domain !== '') {
    const status = await flushAdd(domain, id);
    if (status !== FLUSH_STAT_OK && status !== FLUSH_STAT_DENY) msg.warn(`${id}: ${mailConfStr('flush_service_name')} service failure`);
  }
  return -1;
}
