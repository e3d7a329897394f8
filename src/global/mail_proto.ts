/*
 * mail_proto - names and conventions of Postfix's internal protocols: service classes and
 * names, trigger request bytes, attribute names, the protocol announcement ("hello") a
 * server sends on accept and the check its clients make, and the IPC time limits.
 * Counterpart: postfix/src/global/mail_proto.h, mail_pathname.c and timed_ipc.c.
 * Values are Postfix's, misspellings included (MAIL_ATTR_PROTO_VERIFY).
 */
import { ATTR_FLAG_NONE, ATTR_FLAG_STRICT, recvAttrStreq, sendAttrStr, type AttrScanner, type SendAttr } from '../util/attr.js';
import { attrPrint0 } from '../util/attr_print0.js';
import { attrScan0 } from '../util/attr_scan0.js';
import { msg } from '../util/msg.js';
import type { AsyncVStream } from '../util/vstream_async.js';
import { mailConfStr } from './mail_conf.js';

/* Protocol names as logged and passed to the cleanup server. */
export const MAIL_PROTO_SMTP = 'SMTP';
export const MAIL_PROTO_ESMTP = 'ESMTP';
export const MAIL_PROTO_QMQP = 'QMQP';

/* Service names (master.cf defaults; main.cf *_service_name parameters may rename). */
export const MAIL_SERVICE_BOUNCE = 'bounce';
export const MAIL_SERVICE_CLEANUP = 'cleanup';
export const MAIL_SERVICE_DEFER = 'defer';
export const MAIL_SERVICE_FORWARD = 'forward';
export const MAIL_SERVICE_LOCAL = 'local';
export const MAIL_SERVICE_PICKUP = 'pickup';
export const MAIL_SERVICE_QUEUE = 'qmgr';
export const MAIL_SERVICE_TLSMGR = 'tlsmgr';
export const MAIL_SERVICE_RESOLVE = 'resolve';
export const MAIL_SERVICE_REWRITE = 'rewrite';
export const MAIL_SERVICE_VIRTUAL = 'virtual';
export const MAIL_SERVICE_SMTP = 'smtp';
export const MAIL_SERVICE_SMTPD = 'smtpd';
export const MAIL_SERVICE_SHOWQ = 'showq';
export const MAIL_SERVICE_ERROR = 'error';
export const MAIL_SERVICE_RETRY = 'retry';
export const MAIL_SERVICE_FLUSH = 'flush';
export const MAIL_SERVICE_VERIFY = 'verify';
export const MAIL_SERVICE_TRACE = 'trace';
export const MAIL_SERVICE_RELAY = 'relay';
export const MAIL_SERVICE_PROXYMAP = 'proxymap';
export const MAIL_SERVICE_PROXYWRITE = 'proxywrite';
export const MAIL_SERVICE_SCACHE = 'scache';
export const MAIL_SERVICE_DNSBLOG = 'dnsblog';
export const MAIL_SERVICE_TLSPROXY = 'tlsproxy';
export const MAIL_SERVICE_POSTLOG = 'postlog';

/* Service classes: the directories under queue_directory that hold the endpoints. */
export const MAIL_CLASS_PUBLIC = 'public';
export const MAIL_CLASS_PRIVATE = 'private';

/* Trigger requests: one byte each; a trigger may carry several. */
export const TRIGGER_REQ_WAKEUP = 'W';
export const QMGR_REQ_SCAN_DEFERRED = 'D';
export const QMGR_REQ_SCAN_INCOMING = 'I';
export const QMGR_REQ_FLUSH_DEAD = 'F';
export const QMGR_REQ_SCAN_ALL = 'A';

/* Attribute names, and the protocol names servers announce. */
export const MAIL_ATTR_PROTO = 'protocol';
export const MAIL_ATTR_PROTO_ANVIL = 'anvil_protocol';
export const MAIL_ATTR_PROTO_BOUNCE = 'delivery_status_protocol';
export const MAIL_ATTR_PROTO_CLEANUP = 'cleanup_protocol';
export const MAIL_ATTR_PROTO_DELIVER = 'delivery_request_protocol';
export const MAIL_ATTR_PROTO_FLUSH = 'queue_flush_protocol';
export const MAIL_ATTR_PROTO_POSTDROP = 'postdrop_protocol';
export const MAIL_ATTR_PROTO_PROXYMAP = 'proxymap_protocol';
export const MAIL_ATTR_PROTO_SCACHE = 'connection_cache_protocol';
export const MAIL_ATTR_PROTO_SHOWQ = 'mail_queue_list_protocol';
export const MAIL_ATTR_PROTO_TLSMGR = 'tlsmgr_protocol';
export const MAIL_ATTR_PROTO_TLSPROXY = 'tlsproxy_protocol';
export const MAIL_ATTR_PROTO_TRIVIAL = 'trivial_rewrite_protocol';
export const MAIL_ATTR_PROTO_VERIFY = 'address_verification_prrotocol';
export const MAIL_ATTR_REQ = 'request';
export const MAIL_ATTR_NREQ = 'nrequest';
export const MAIL_ATTR_STATUS = 'status';
export const MAIL_ATTR_FLAGS = 'flags';
export const MAIL_ATTR_QUEUE = 'queue_name';
export const MAIL_ATTR_QUEUEID = 'queue_id';
export const MAIL_ATTR_SENDER = 'sender';
export const MAIL_ATTR_RCPT_COUNT = 'recipient_count';
export const MAIL_ATTR_ORCPT = 'original_recipient';
export const MAIL_ATTR_RECIP = 'recipient';
export const MAIL_ATTR_WHY = 'reason';
export const MAIL_ATTR_VERPDL = 'verp_delimiters';
export const MAIL_ATTR_SITE = 'site';
export const MAIL_ATTR_OFFSET = 'offset';
export const MAIL_ATTR_SIZE = 'size';
export const MAIL_ATTR_ERRTO = 'errors-to';
export const MAIL_ATTR_RRCPT = 'return-receipt';
export const MAIL_ATTR_TIME = 'time';
export const MAIL_ATTR_LOCALTIME = 'localtime';
export const MAIL_ATTR_CREATE_TIME = 'create_time';
export const MAIL_ATTR_RULE = 'rule';
export const MAIL_ATTR_ADDR = 'address';
export const MAIL_ATTR_TRANSPORT = 'transport';
export const MAIL_ATTR_NEXTHOP = 'nexthop';
export const MAIL_ATTR_TRACE_FLAGS = 'trace_flags';
export const MAIL_ATTR_ADDR_STATUS = 'recipient_status';
export const MAIL_ATTR_ACTION = 'action';
export const MAIL_ATTR_TABLE = 'table';
export const MAIL_ATTR_KEY = 'key';
export const MAIL_ATTR_VALUE = 'value';
export const MAIL_ATTR_INSTANCE = 'instance';
export const MAIL_ATTR_SASL_METHOD = 'sasl_method';
export const MAIL_ATTR_SASL_USERNAME = 'sasl_username';
export const MAIL_ATTR_SASL_SENDER = 'sasl_sender';
export const MAIL_ATTR_ETRN_DOMAIN = 'etrn_domain';
export const MAIL_ATTR_DUMMY = 'dummy';
export const MAIL_ATTR_STRESS = 'stress';
export const MAIL_ATTR_LOG_IDENT = 'log_ident';
export const MAIL_ATTR_RWR_CONTEXT = 'rewrite_context';
export const MAIL_ATTR_POL_CONTEXT = 'policy_context';
export const MAIL_ATTR_FORCED_EXPIRE = 'forced_expire';
export const MAIL_ATTR_RWR_LOCAL = 'local';
export const MAIL_ATTR_RWR_REMOTE = 'remote';
export const MAIL_ATTR_TTL = 'ttl';
export const MAIL_ATTR_LABEL = 'label';
export const MAIL_ATTR_PROP = 'property';
export const MAIL_ATTR_FUNC = 'function';
export const MAIL_ATTR_CCERT_SUBJECT = 'ccert_subject';
export const MAIL_ATTR_CCERT_ISSUER = 'ccert_issuer';
export const MAIL_ATTR_CCERT_CERT_FPRINT = 'ccert_fingerprint';
export const MAIL_ATTR_CCERT_PKEY_FPRINT = 'ccert_pubkey_fingerprint';
export const MAIL_ATTR_CRYPTO_PROTOCOL = 'encryption_protocol';
export const MAIL_ATTR_CRYPTO_CIPHER = 'encryption_cipher';
export const MAIL_ATTR_CRYPTO_KEYSIZE = 'encryption_keysize';
export const MAIL_ATTR_S_NAME = '_name';
export const MAIL_ATTR_S_DOMAIN = '_domain';
export const MAIL_ATTR_RBL_WHAT = 'rbl_what';
export const MAIL_ATTR_RBL_DOMAIN = 'rbl_domain';
export const MAIL_ATTR_RBL_REASON = 'rbl_reason';
export const MAIL_ATTR_RBL_TXT = 'rbl_txt';
export const MAIL_ATTR_RBL_CLASS = 'rbl_class';
export const MAIL_ATTR_RBL_CODE = 'rbl_code';
export const MAIL_ATTR_RBL_ADDR = 'rbl_addr';
export const MAIL_ATTR_ENCODING = 'encoding';
export const MAIL_ATTR_ENC_8BIT = '8bit';
export const MAIL_ATTR_ENC_7BIT = '7bit';
export const MAIL_ATTR_ENC_NONE = '';
export const MAIL_ATTR_LOG_CLIENT_NAME = 'log_client_name';
export const MAIL_ATTR_LOG_CLIENT_ADDR = 'log_client_address';
export const MAIL_ATTR_LOG_CLIENT_PORT = 'log_client_port';
export const MAIL_ATTR_LOG_HELO_NAME = 'log_helo_name';
export const MAIL_ATTR_LOG_PROTO_NAME = 'log_protocol_name';
export const MAIL_ATTR_LOG_ORIGIN = 'log_message_origin';
export const MAIL_ATTR_ACT_CLIENT = 'client';
export const MAIL_ATTR_ACT_CLIENT_NAME = 'client_name';
export const MAIL_ATTR_ACT_CLIENT_ADDR = 'client_address';
export const MAIL_ATTR_ACT_CLIENT_PORT = 'client_port';
export const MAIL_ATTR_ACT_CLIENT_AF = 'client_address_type';
export const MAIL_ATTR_ACT_HELO_NAME = 'helo_name';
export const MAIL_ATTR_ACT_PROTO_NAME = 'protocol_name';
export const MAIL_ATTR_ACT_REVERSE_CLIENT_NAME = 'reverse_client_name';
export const MAIL_ATTR_ACT_FORWARD_CLIENT_NAME = 'forward_client_name';
export const MAIL_ATTR_ACT_SERVER_ADDR = 'server_address';
export const MAIL_ATTR_ACT_SERVER_PORT = 'server_port';
export const MAIL_ATTR_PROTO_STATE = 'protocol_state';
export const MAIL_ATTR_ORG_NONE = 'unknown';
export const MAIL_ATTR_ORG_LOCAL = 'local';
export const MAIL_ATTR_DSN_STATUS = 'status';
export const MAIL_ATTR_DSN_DTYPE = 'diag_type';
export const MAIL_ATTR_DSN_DTEXT = 'diag_text';
export const MAIL_ATTR_DSN_MTYPE = 'mta_type';
export const MAIL_ATTR_DSN_MNAME = 'mta_mname';
export const MAIL_ATTR_DSN_ACTION = 'action';
export const MAIL_ATTR_DSN_ENVID = 'envelope_id';
export const MAIL_ATTR_DSN_RET = 'ret_flags';
export const MAIL_ATTR_DSN_NOTIFY = 'notify_flags';
export const MAIL_ATTR_DSN_ORCPT = 'dsn_orig_rcpt';
export const MAIL_ATTR_SMTPUTF8 = 'smtputf8';
export const MAIL_ATTR_SERVER_NAME = 'server_name';

/** Postfix: mail_pathname(): the endpoint of a service, relative to queue_directory. */
export function mailPathname(serviceClass: string, serviceName: string): string {
  return `${serviceClass}/${serviceName}`;
}

/**
 * A server's protocol announcement: [protocol=<proto>] (plus any extra attributes, as
 * cleanup sends its queue id), written and flushed right after accept, before the server
 * reads anything. True when the bytes went out.
 */
export async function sendProtocolAnnouncement(stream: AsyncVStream, proto: string,
  print = attrPrint0, extra: readonly SendAttr[] = []): Promise<boolean> {
  print(stream, ATTR_FLAG_NONE, [sendAttrStr(MAIL_ATTR_PROTO, proto), ...extra]);
  return stream.flush();
}

/**
 * The client's check of that announcement, as every Postfix client makes it: a strict
 * scan that wants exactly protocol=<proto>. XXX Like Postfix, a server that closes the
 * connection before sending anything passes (the scan finds no list and reports zero
 * conversions); the failure then shows at the next read.
 */
export async function checkProtocolAnnouncement(stream: AsyncVStream, proto: string,
  scan: AttrScanner = attrScan0): Promise<boolean> {
  const { count } = await scan(stream, ATTR_FLAG_STRICT, [recvAttrStreq(MAIL_ATTR_PROTO, proto)]);
  return count === 0;
}

/** A time parameter in seconds (Postfix: conv_time() with default unit 's'). */
function timeParam(name: string, defaultValue: string): number {
  const text = mailConfStr(name) || defaultValue;
  const m = /^(\d+)([smhdw]?)$/.exec(text);
  if (m === null) msg.fatal(`invalid ${name} parameter value: ${text}`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]!]!;
  return Number(m[1]) * unit;
}

/** Postfix: var_ipc_timeout, the I/O time limit on internal connections. */
export const varIpcTimeout = () => timeParam('ipc_timeout', '3600s');
/** Postfix: var_trigger_timeout, the time limit for sending a trigger. */
export const varTriggerTimeout = () => timeParam('trigger_timeout', '10s');
/** Postfix: var_event_drain, how long a command waits for triggers to be taken. */
export const varEventDrain = () => timeParam('application_event_drain_time', '100s');
/** Postfix: var_ipc_idle, how long an idle client connection stays open. */
export const varIpcIdle = () => timeParam('ipc_idle', '5s');
/** Postfix: var_ipc_ttl, how long a client connection stays open at most. */
export const varIpcTtl = () => timeParam('ipc_ttl', '1000s');
