/*
 * dict_proxy - the "proxy" table type: every operation on "proxy:type:name" is a request
 * to proxymap(8) (read-only use) or proxywrite (updates and deletes), which opens the
 * table itself. Counterpart: postfix/src/global/dict_proxy.c; protocol in
 * /work/shared/reference/protocols.md 4.10. Tables of one service share a connection;
 * each request names the table and flags again, since the server may have restarted.
 * Like Postfix, a request that fails is retried once a second until it gets an answer.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { msg } from '../util/msg.js';
import { errnoOf, percentM } from '../util/strerror.js';
import {
  ATTR_FLAG_NONE, ATTR_FLAG_STRICT, recvAttrInt, recvAttrStr, sendAttrInt, sendAttrStr, type RecvAttr, type SendAttr,
} from '../util/attr.js';
import { attrPrint0 } from '../util/attr_print0.js';
import { attrScan0 } from '../util/attr_scan0.js';
import type { AsyncVStream } from '../util/vstream_async.js';
import {
  Dict, DICT_ERR_CONFIG, DICT_ERR_NONE, DICT_ERR_RETRY, DICT_FLAG_IMPL_MASK, DICT_FLAG_INST_MASK, DICT_FLAG_NO_PROXY,
  DICT_FLAG_RQST_MASK, DICT_STAT_ERROR, DICT_STAT_FAIL, DICT_STAT_SUCCESS, type DictEntry, O_RDONLY, O_RDWR, dictDebug,
  dictFlagsStr,
} from '../util/dict.js';
import { dictOpen } from '../util/dict_open.js';
import { ClntStream } from './clnt_stream.js';
import { mailConfStr } from './mail_conf.js';
import {
  MAIL_ATTR_FLAGS, MAIL_ATTR_FUNC, MAIL_ATTR_KEY, MAIL_ATTR_PROTO_PROXYMAP, MAIL_ATTR_REQ, MAIL_ATTR_STATUS, MAIL_ATTR_TABLE,
  MAIL_ATTR_VALUE, checkProtocolAnnouncement, varIpcIdle, varIpcTtl,
} from './mail_proto.js';

export const DICT_TYPE_PROXY = 'proxy';

export const PROXY_REQ_OPEN = 'open';
export const PROXY_REQ_LOOKUP = 'lookup';
export const PROXY_REQ_UPDATE = 'update';
export const PROXY_REQ_DELETE = 'delete';
export const PROXY_REQ_SEQUENCE = 'sequence';

export const PROXY_STAT_OK = 0; // the operation succeeded
export const PROXY_STAT_NOKEY = 1; // the key was not found
export const PROXY_STAT_RETRY = 2; // try again later
export const PROXY_STAT_BAD = 3; // invalid request
export const PROXY_STAT_DENY = 4; // the table is not approved for proxying
export const PROXY_STAT_CONFIG = 5; // a configuration error (DICT_ERR_CONFIG)

const MAIL_CLASS_PRIVATE = 'private';
const EPIPE = 32;
const ENOENT = 2;
const ETIMEDOUT = 110;

/* One shared connection per service: proxymap for reading, proxywrite for writing. */
let proxymapStream: ClntStream | undefined;
let proxywriteStream: ClntStream | undefined;

/** The errno after a failed exchange, as C code would see it (0 at a plain end of input). */
function streamErrno(stream: AsyncVStream | null, clnt: ClntStream): number {
  if (stream === null) return errnoOf(clnt.lastError) ?? 0;
  if (stream.timedOut) return ETIMEDOUT;
  return errnoOf(stream.error) ?? 0;
}

/** Postfix: dict_proxy_handshake(). */
const proxyHandshake = (stream: AsyncVStream) => checkProtocolAnnouncement(stream, MAIL_ATTR_PROTO_PROXYMAP, attrScan0);

class DictProxy extends Dict {
  constructor(name: string, readonly clnt: ClntStream, readonly service: string, readonly instFlags: number) {
    super(DICT_TYPE_PROXY, name);
  }

  /** Postfix: the request flags: what the table was opened with, and what the caller sets now. */
  private requestFlags(): number {
    return this.instFlags | (this.flags & DICT_FLAG_RQST_MASK);
  }

  /**
   * One request, sent until a reply arrives that handle() accepts, and handle()'s result.
   * A failed exchange is retried after a warning when verbose, on a retry, or for an
   * unexpected error, as Postfix does; handle() returns undefined to have the request
   * sent again.
   */
  private async request<V>(myname: string, send: readonly SendAttr[], wants: readonly RecvAttr[],
    handle: (values: unknown[]) => V | undefined): Promise<V> {
    for (let count = 1; ; count++) {
      const stream = await this.clnt.access();
      let failed = true;
      let errno = 0;
      try {
        if (stream !== null) {
          attrPrint0(stream, ATTR_FLAG_NONE, send);
          if (await stream.flush()) {
            const reply = await attrScan0(stream, ATTR_FLAG_STRICT, wants);
            if (reply.count === wants.length) {
              failed = false;
              const result = handle(reply.values);
              if (result !== undefined) return result;
            }
          }
        }
        if (failed) errno = streamErrno(stream, this.clnt);
      } finally {
        this.clnt.release();
      }
      if (failed && (msg.verbose || count > 1 || (errno && errno !== EPIPE && errno !== ENOENT))) {
        msg.warn(`${myname}: service ${this.service}: ${percentM(errno)}`);
      }
      this.clnt.recover();
      await sleep(1000); // XXX Postfix does not make this configurable either
    }
  }

  /**
   * The result for the reply status of a lookup, update, delete or sequence request (what),
   * about a key or function (subject); undefined after a warning about an unexpected status.
   * denied names what the server lacks when it refuses the table.
   */
  private replyResult<V>(status: number, what: string, subject: string, denied: string,
    found: V, notFound: V, error: V): V | undefined {
    switch (status) {
      case PROXY_STAT_BAD:
        return msg.fatal(`${this.service} ${what} failed for table "${this.name}" ${subject}: invalid request`);
      case PROXY_STAT_DENY:
        return msg.fatal(`${this.service} ${denied} is not configured for table "${this.name}"`);
      case PROXY_STAT_OK:
        return this.result(DICT_ERR_NONE, found);
      case PROXY_STAT_NOKEY:
        return this.result(DICT_ERR_NONE, notFound);
      case PROXY_STAT_RETRY:
        return this.result(DICT_ERR_RETRY, error);
      case PROXY_STAT_CONFIG:
        return this.result(DICT_ERR_CONFIG, error);
      default:
        msg.warn(`${this.service} ${what} failed for table "${this.name}" ${subject}: unexpected reply status ${status}`);
        return undefined;
    }
  }

  override async lookup(key: string): Promise<string | null> {
    const myname = 'dict_proxy_lookup';
    const flags = this.requestFlags();
    return this.request(myname, [
      sendAttrStr(MAIL_ATTR_REQ, PROXY_REQ_LOOKUP), sendAttrStr(MAIL_ATTR_TABLE, this.name),
      sendAttrInt(MAIL_ATTR_FLAGS, flags), sendAttrStr(MAIL_ATTR_KEY, key),
    ], [recvAttrInt(MAIL_ATTR_STATUS), recvAttrStr(MAIL_ATTR_VALUE)], (values) => {
      const [status, value] = values as [number, string];
      if (msg.verbose) {
        msg.info(`${myname}: table=${this.name} flags=${dictFlagsStr(flags)} key=${key} -> status=${status} result=${value}`);
      }
      return this.replyResult<string | null>(status, 'lookup', `key "${key}"`, 'service', value, null, null);
    });
  }

  override async update(key: string, value: string): Promise<number> {
    const myname = 'dict_proxy_update';
    const flags = this.requestFlags();
    return this.request(myname, [
      sendAttrStr(MAIL_ATTR_REQ, PROXY_REQ_UPDATE), sendAttrStr(MAIL_ATTR_TABLE, this.name),
      sendAttrInt(MAIL_ATTR_FLAGS, flags), sendAttrStr(MAIL_ATTR_KEY, key), sendAttrStr(MAIL_ATTR_VALUE, value),
    ], [recvAttrInt(MAIL_ATTR_STATUS)], (values) => {
      const status = values[0] as number;
      if (msg.verbose) {
        msg.info(`${myname}: table=${this.name} flags=${dictFlagsStr(flags)} key=${key} value=${value} -> status=${status}`);
      }
      return this.replyResult(status, 'update', `key "${key}"`, 'update access', DICT_STAT_SUCCESS, DICT_STAT_FAIL, DICT_STAT_ERROR);
    });
  }

  override async delete(key: string): Promise<number> {
    const myname = 'dict_proxy_delete';
    const flags = this.requestFlags();
    return this.request(myname, [
      sendAttrStr(MAIL_ATTR_REQ, PROXY_REQ_DELETE), sendAttrStr(MAIL_ATTR_TABLE, this.name),
      sendAttrInt(MAIL_ATTR_FLAGS, flags), sendAttrStr(MAIL_ATTR_KEY, key),
    ], [recvAttrInt(MAIL_ATTR_STATUS)], (values) => {
      const status = values[0] as number;
      if (msg.verbose) msg.info(`${myname}: table=${this.name} flags=${dictFlagsStr(flags)} key=${key} -> status=${status}`);
      return this.replyResult(status, 'delete', `key "${key}"`, 'update access', DICT_STAT_SUCCESS, DICT_STAT_FAIL, DICT_STAT_ERROR);
    });
  }

  override async sequence(func: number): Promise<DictEntry | null> {
    const myname = 'dict_proxy_sequence';
    const flags = this.requestFlags();
    return this.request(myname, [
      sendAttrStr(MAIL_ATTR_REQ, PROXY_REQ_SEQUENCE), sendAttrStr(MAIL_ATTR_TABLE, this.name),
      sendAttrInt(MAIL_ATTR_FLAGS, flags), sendAttrInt(MAIL_ATTR_FUNC, func),
    ], [recvAttrInt(MAIL_ATTR_STATUS), recvAttrStr(MAIL_ATTR_KEY), recvAttrStr(MAIL_ATTR_VALUE)], (values) => {
      const [status, key, value] = values as [number, string, string];
      if (msg.verbose) {
        msg.info(`${myname}: table=${this.name} flags=${dictFlagsStr(flags)} func=${func} -> status=${status} key=${key} val=${value}`);
      }
      return this.replyResult<DictEntry | null>(status, 'sequence', `function ${func}`, 'service', { key, value }, null, null);
    });
  }

  /** Establish contact: the server opens the table and says what kind it is. */
  async open(dictFlags: number): Promise<void> {
    const myname = 'dict_proxy_open';
    for (;;) {
      const stream = await this.clnt.access();
      let errno = 0;
      try {
        if (stream !== null) {
          attrPrint0(stream, ATTR_FLAG_NONE, [
            sendAttrStr(MAIL_ATTR_REQ, PROXY_REQ_OPEN), sendAttrStr(MAIL_ATTR_TABLE, this.name),
            sendAttrInt(MAIL_ATTR_FLAGS, this.instFlags),
          ]);
          if (await stream.flush()) {
            const reply = await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrInt(MAIL_ATTR_STATUS), recvAttrInt(MAIL_ATTR_FLAGS)]);
            if (reply.count === 2) {
              const [status, serverFlags] = reply.values as [number, number];
              if (msg.verbose) {
                msg.info(`${myname}: connect to map=${this.name} status=${status} server_flags=${dictFlagsStr(serverFlags)}`);
              }
              switch (status) {
                case PROXY_STAT_BAD:
                  msg.fatal(`${this.service} open failed for table "${this.name}": invalid request`);
                  break;
                case PROXY_STAT_DENY:
                  msg.fatal(`${this.service} service is not configured for table "${this.name}"`);
                  break;
                case PROXY_STAT_OK:
                  this.flags = (dictFlags & ~DICT_FLAG_IMPL_MASK) | (serverFlags & DICT_FLAG_IMPL_MASK);
                  return;
                default:
                  msg.warn(`${this.service} open failed for table "${this.name}": unexpected status ${status}`);
              }
              errno = -1; // answered, and already reported
            }
          }
        }
        if (errno === 0) {
          errno = streamErrno(stream, this.clnt);
          if (msg.verbose || (errno !== EPIPE && errno !== ENOENT)) {
            msg.warn(`${myname}: service ${this.service}: ${percentM(errno)}`);
          }
        }
      } finally {
        this.clnt.release();
      }
      this.clnt.recover();
      await sleep(1000);
    }
  }
}

/** Postfix: dict_proxy_open(). */
export async function dictProxyOpen(map: string, openFlags: number, dictFlags: number): Promise<Dict> {
  // A table that must not be proxied is opened directly, without complaint.
  if (dictFlags & DICT_FLAG_NO_PROXY) return dictOpen(map, openFlags, dictFlags);
  let service: string;
  let clnt: ClntStream | undefined;
  const readOnly = openFlags === O_RDONLY;
  if (readOnly) {
    service = mailConfStr('proxymap_service_name');
    clnt = proxymapStream;
  } else if ((openFlags & O_RDWR) === O_RDWR) {
    service = mailConfStr('proxywrite_service_name');
    clnt = proxywriteStream;
  } else {
    return msg.fatal(`${map}: ${DICT_TYPE_PROXY} map open requires O_RDONLY or O_RDWR mode`);
  }
  if (clnt === undefined) {
    // Relative to the queue directory in daemons; from anywhere else, by absolute path.
    const prefix = existsSync(`${MAIL_CLASS_PRIVATE}/${service}`) ? MAIL_CLASS_PRIVATE
      : `${mailConfStr('queue_directory')}/${MAIL_CLASS_PRIVATE}`;
    clnt = new ClntStream(prefix, service, varIpcIdle(), varIpcTtl(), proxyHandshake);
    if (readOnly) proxymapStream = clnt;
    else proxywriteStream = clnt;
  }
  const dict = new DictProxy(map, clnt, service, dictFlags & DICT_FLAG_INST_MASK);
  await dict.open(dictFlags);
  return dictDebug(dict);
}
