/*
 * deliver_request - the delivery agent's side of the queue manager protocol: announce
 * readiness, read one delivery request (message attributes, then each recipient), open
 * and share-lock the queue file, and send the final status back.
 * Counterpart: postfix/src/global/deliver_request.c and deliver_request.h. Requests are
 * read STRICTly in the attribute order of protocols.md 4.14; a bad request is answered
 * with status -1 (defer) and gives null.
 */
import { open, type FileHandle } from 'node:fs/promises';
import {
  ATTR_FLAG_NONE, ATTR_FLAG_STRICT, recvAttrInt, recvAttrLong, recvAttrStr, sendAttrInt, sendAttrStr,
} from '../util/attr.js';
import { attrPrint0 } from '../util/attr_print0.js';
import { attrScan0 } from '../util/attr_scan0.js';
import { msg } from '../util/msg.js';
import { MYFLOCK_OP_NOWAIT, MYFLOCK_OP_SHARED, MYFLOCK_STYLE_FLOCK, myflock } from '../util/myflock.js';
import { isErrno, strerror } from '../util/strerror.js';
import { VSTREAM_EOF, type AsyncVStream } from '../util/vstream_async.js';
import { dsnSimple, sendDsn, type Dsn } from './dsn.js';
import {
  MAIL_ATTR_DSN_ENVID, MAIL_ATTR_DSN_RET, MAIL_ATTR_ENCODING, MAIL_ATTR_FLAGS, MAIL_ATTR_LOG_CLIENT_ADDR,
  MAIL_ATTR_LOG_CLIENT_NAME, MAIL_ATTR_LOG_CLIENT_PORT, MAIL_ATTR_LOG_HELO_NAME, MAIL_ATTR_LOG_IDENT,
  MAIL_ATTR_LOG_PROTO_NAME, MAIL_ATTR_NEXTHOP, MAIL_ATTR_OFFSET, MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_DELIVER,
  MAIL_ATTR_QUEUE, MAIL_ATTR_QUEUEID, MAIL_ATTR_RCPT_COUNT, MAIL_ATTR_RWR_CONTEXT, MAIL_ATTR_SASL_METHOD,
  MAIL_ATTR_SASL_SENDER, MAIL_ATTR_SASL_USERNAME, MAIL_ATTR_SENDER, MAIL_ATTR_SIZE, MAIL_ATTR_SMTPUTF8,
  MAIL_ATTR_STATUS,
} from './mail_proto.js';
import { mailOpenOk } from './mail_open_ok.js';
import { mailQueuePath, queueLayoutFromConfig, type QueueLayout } from './mail_queue.js';
import { getTimeOfDay } from './mail_queue.js';
import { msgStatsInit, recvMsgStats, type MsgStats } from './msg_stats.js';
import { recvRecipient, type Recipient } from './recipient_list.js';

/* Request flags (Postfix: DEL_REQ_FLAG_*). */
export const DEL_REQ_FLAG_SUCCESS = 1 << 0; // delete successful recipients
export const DEL_REQ_FLAG_BOUNCE = 1 << 1; // unimplemented
export const DEL_REQ_FLAG_DEFLT = DEL_REQ_FLAG_SUCCESS | DEL_REQ_FLAG_BOUNCE;
export const DEL_REQ_FLAG_MTA_VRFY = 1 << 8; // MTA-requested address probe
export const DEL_REQ_FLAG_USR_VRFY = 1 << 9; // user-requested address probe
export const DEL_REQ_FLAG_RECORD = 1 << 10; // record and deliver
export const DEL_REQ_FLAG_CONN_LOAD = 1 << 11; // consult opportunistic cache
export const DEL_REQ_FLAG_CONN_STORE = 1 << 12; // update opportunistic cache
export const DEL_REQ_FLAG_REC_DLY_SENT = 1 << 13; // record delayed delivery
export const DEL_REQ_FLAG_VERIFY = DEL_REQ_FLAG_MTA_VRFY;
export const DEL_REQ_FLAG_EXPAND = DEL_REQ_FLAG_USR_VRFY;

export const DEL_REQ_TRACE_FLAGS_MASK = DEL_REQ_FLAG_MTA_VRFY | DEL_REQ_FLAG_USR_VRFY | DEL_REQ_FLAG_RECORD
  | DEL_REQ_FLAG_REC_DLY_SENT;
/** Postfix: DEL_REQ_TRACE_FLAGS(): the flags that bounce/defer/sent/trace care about. */
export const delReqTraceFlags = (flags: number) => flags & DEL_REQ_TRACE_FLAGS_MASK;
export const DEL_REQ_TRACE_ONLY_MASK = DEL_REQ_FLAG_MTA_VRFY | DEL_REQ_FLAG_USR_VRFY;
/** Postfix: DEL_REQ_TRACE_ONLY(): a probe, no real delivery. */
export const delReqTraceOnly = (flags: number) => flags & DEL_REQ_TRACE_ONLY_MASK;

/* Per-recipient status (Postfix: DEL_RCPT_STAT_*), and the request's final status. */
export const DEL_RCPT_STAT_OK = 0;
export const DEL_RCPT_STAT_DEFER = 1;
export const DEL_RCPT_STAT_BOUNCE = 2;
export const DEL_RCPT_STAT_TODO = 3;
export const DEL_STAT_FINAL = 0; // delivered or bounced
export const DEL_STAT_DEFER = -1; // not delivered or bounced

export interface DeliverRequest {
  /** The queue file, open read-write with a shared lock; null once closed. */
  file: FileHandle | null;
  /** Its path relative to the queue directory ("active/3F1A21C0123"). */
  path: string;
  flags: number;
  queue_name: string;
  queue_id: string;
  data_offset: number;
  data_size: number;
  nexthop: string;
  encoding: string;
  smtputf8: number;
  sender: string;
  dsn_envid: string;
  dsn_ret: number;
  msg_stats: MsgStats;
  client_name: string;
  client_addr: string;
  client_port: string;
  client_proto: string;
  client_helo: string;
  sasl_method: string;
  sasl_username: string;
  sasl_sender: string;
  log_ident: string;
  rewrite_context: string;
  rcpt_list: Recipient[];
  /** Set by an agent that has something to say about the next hop as a whole. */
  hop_status: Dsn | null;
}

/* Postfix: deliver_request_initial(): tell the queue manager we are ready. */
async function sendInitial(stream: AsyncVStream): Promise<boolean> {
  if (msg.verbose) msg.info('deliver_request_initial: send initial response');
  attrPrint0(stream, ATTR_FLAG_NONE, [sendAttrStr(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_DELIVER)]);
  if (!(await stream.flush())) {
    if (msg.verbose) msg.warn(`send initial response: ${strerror(stream.error ?? 'ETIMEDOUT')}`);
    return false;
  }
  return true;
}

/* Postfix: deliver_request_final(). */
async function sendFinal(stream: AsyncVStream, request: DeliverRequest, status: number): Promise<boolean> {
  const hop = request.hop_status ?? dsnSimple('', '');
  if (msg.verbose) msg.info(`deliver_request_final: send: "${hop.reason}" ${status}`);
  attrPrint0(stream, ATTR_FLAG_NONE, [sendDsn(hop), sendAttrInt(MAIL_ATTR_STATUS, status)]);
  const ok = await stream.flush();
  if (!ok && msg.verbose) msg.warn(`send final status: ${strerror(stream.error ?? 'ETIMEDOUT')}`);
  // Some systems lose data on close right after a write: wait until the client closes
  // (bounded by ipc_timeout).
  await stream.getc();
  return ok;
}

function newRequest(): DeliverRequest {
  return {
    file: null, path: '', flags: 0, queue_name: '', queue_id: '', data_offset: 0, data_size: 0, nexthop: '',
    encoding: '', smtputf8: 0, sender: '', dsn_envid: '', dsn_ret: 0, msg_stats: msgStatsInit(), client_name: '',
    client_addr: '', client_port: '', client_proto: '', client_helo: '', sasl_method: '', sasl_username: '',
    sasl_sender: '', log_ident: '', rewrite_context: '', rcpt_list: [], hop_status: null,
  };
}

/** Postfix: mail_queue_open(queue, id, O_RDWR, 0). */
export async function openQueueFileRw(layout: QueueLayout, queueName: string, queueId: string): Promise<{ file: FileHandle; path: string }> {
  const path = mailQueuePath(layout, queueName, queueId);
  return { file: await open(path, 'r+'), path };
}

/* Postfix: deliver_request_get(). False after a warning. */
async function readRequest(stream: AsyncVStream, request: DeliverRequest): Promise<boolean> {
  const myname = 'deliver_request_get';
  const stats = { stats: msgStatsInit() };
  const { count, values } = await attrScan0(stream, ATTR_FLAG_STRICT, [
    recvAttrInt(MAIL_ATTR_FLAGS), recvAttrStr(MAIL_ATTR_QUEUE), recvAttrStr(MAIL_ATTR_QUEUEID),
    recvAttrLong(MAIL_ATTR_OFFSET), recvAttrLong(MAIL_ATTR_SIZE), recvAttrStr(MAIL_ATTR_NEXTHOP),
    recvAttrStr(MAIL_ATTR_ENCODING), recvAttrInt(MAIL_ATTR_SMTPUTF8), recvAttrStr(MAIL_ATTR_SENDER),
    recvAttrStr(MAIL_ATTR_DSN_ENVID), recvAttrInt(MAIL_ATTR_DSN_RET), recvMsgStats(stats),
    recvAttrStr(MAIL_ATTR_LOG_CLIENT_NAME), recvAttrStr(MAIL_ATTR_LOG_CLIENT_ADDR),
    recvAttrStr(MAIL_ATTR_LOG_CLIENT_PORT), recvAttrStr(MAIL_ATTR_LOG_PROTO_NAME),
    recvAttrStr(MAIL_ATTR_LOG_HELO_NAME), recvAttrStr(MAIL_ATTR_SASL_METHOD),
    recvAttrStr(MAIL_ATTR_SASL_USERNAME), recvAttrStr(MAIL_ATTR_SASL_SENDER), recvAttrStr(MAIL_ATTR_LOG_IDENT),
    recvAttrStr(MAIL_ATTR_RWR_CONTEXT), recvAttrInt(MAIL_ATTR_RCPT_COUNT),
  ]);
  if (count !== 23) {
    msg.warn(`${myname}: error receiving common attributes`);
    return false;
  }
  const [flags, queueName, queueId, offset, size, nexthop, encoding, smtputf8, sender, envid, ret, ,
    clientName, clientAddr, clientPort, clientProto, clientHelo, saslMethod, saslUsername, saslSender, logIdent,
    rewriteContext, rcptCount] = values;
  const layout = queueLayoutFromConfig();
  // XXX Postfix compares mail_open_ok() with 0, which it never returns (MAIL_OPEN_NO is
  // 2): only its warnings count, and a missing file shows at the open below.
  await mailOpenOk(layout, queueName, queueId);

  // Do not override the hand-off time after deliver_pass() delegation.
  if (stats.stats.agent_handoff.sec === 0) stats.stats.agent_handoff = getTimeOfDay();
  Object.assign(request, {
    flags, queue_name: queueName, queue_id: queueId, data_offset: offset, data_size: size, nexthop, encoding,
    smtputf8, sender, dsn_envid: envid, dsn_ret: ret, msg_stats: stats.stats, client_name: clientName,
    client_addr: clientAddr, client_port: clientPort, client_proto: clientProto, client_helo: clientHelo,
    sasl_method: saslMethod, sasl_username: saslUsername, sasl_sender: saslSender, log_ident: logIdent,
    rewrite_context: rewriteContext,
  });

  for (let n = rcptCount; n > 0; n--) {
    const into: { rcpt: Recipient | null } = { rcpt: null };
    const got = await attrScan0(stream, ATTR_FLAG_STRICT, [recvRecipient(into)]);
    if (got.count !== 1 || into.rcpt === null) {
      msg.warn(`${myname}: error receiving recipient attributes`);
      return false;
    }
    request.rcpt_list.push(into.rcpt);
  }
  if (request.rcpt_list.length <= 0) {
    msg.warn(`${request.queue_id}: no recipients in delivery request for destination ${request.nexthop}`);
    return false;
  }

  // A shared lock: the queue manager locks exclusively while it works on the file, and a
  // file that it still locks must not be delivered twice.
  try {
    const opened = await openQueueFileRw(layout, request.queue_name, request.queue_id);
    request.file = opened.file;
    request.path = opened.path;
  } catch (err) {
    const text = `open ${request.queue_name} ${request.queue_id}: ${strerror(err)}`;
    if (!isErrno(err, 'ENOENT')) msg.fatal(text);
    msg.warn(text);
    return false;
  }
  if (msg.verbose) msg.info(`${myname}: file ${request.path}`);
  try {
    myflock(request.file.fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT);
  } catch (err) {
    msg.fatal(`shared lock ${request.path}: ${strerror(err)}`);
  }
  return true;
}

/**
 * Postfix: deliver_request_read(). Announces readiness, waits for the request, and reads
 * it. null when the queue manager changed its mind (closed without asking) or sent a bad
 * request (already answered with a defer status).
 */
export async function readDeliverRequest(stream: AsyncVStream): Promise<DeliverRequest | null> {
  if (!(await sendInitial(stream))) return null;

  // The queue manager may hang up instead of sending a request: wait without a limit.
  const saved = stream.timeout;
  stream.timeout = 0;
  const ch = await stream.getc();
  stream.timeout = saved;
  if (ch === VSTREAM_EOF) return null;
  stream.ungetc(ch);

  const request = newRequest();
  if (!(await readRequest(stream, request))) {
    await deliverRequestDone(stream, request, DEL_STAT_DEFER);
    return null;
  }
  return request;
}

/** Postfix: deliver_request_done(): send the final status and release the request. */
export async function deliverRequestDone(stream: AsyncVStream, request: DeliverRequest, status: number): Promise<boolean> {
  const ok = await sendFinal(stream, request, status);
  if (request.file !== null) {
    await request.file.close();
    request.file = null;
  }
  return ok;
}
