/*
 * verify_clnt - the address verification service client: report what a probe found
 * (update), or ask what is known about an address (query).
 * Counterpart: postfix/src/global/verify_clnt.c: a persistent connection to
 * private/$address_verify_service_name that tries again every second until it works.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ATTR_FLAG_MISSING, ATTR_FLAG_NONE, ATTR_FLAG_STRICT, recvAttrInt, recvAttrStr, recvAttrStreq, sendAttrInt,
  sendAttrStr,
} from '../util/attr.js';
import { attrPrint0 } from '../util/attr_print0.js';
import { attrScan0 } from '../util/attr_scan0.js';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import type { AsyncVStream } from '../util/vstream_async.js';
import { ClntStream } from './clnt_stream.js';
import { mailConfStr } from './mail_conf.js';
import {
  MAIL_ATTR_ADDR, MAIL_ATTR_ADDR_STATUS, MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_VERIFY, MAIL_ATTR_REQ, MAIL_ATTR_STATUS,
  MAIL_ATTR_WHY, MAIL_CLASS_PRIVATE, varIpcIdle, varIpcTtl,
} from './mail_proto.js';

export const VRFY_REQ_QUERY = 'query';
export const VRFY_REQ_UPDATE = 'update';
export const VRFY_STAT_OK = 0;
export const VRFY_STAT_FAIL = -1;
export const VRFY_STAT_BAD = -2;

let client: ClntStream | undefined;

function verifyClient(): ClntStream {
  client ??= new ClntStream(MAIL_CLASS_PRIVATE, mailConfStr('address_verify_service_name'), varIpcIdle(), varIpcTtl(),
    async (stream) => (await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrStreq(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_VERIFY)])).count === 0);
  return client;
}

/* One round trip, retried every second until the service answers (Postfix does the same). */
async function roundTrip<T>(exchange: (stream: AsyncVStream) => Promise<T | null>): Promise<T> {
  const clnt = verifyClient();
  for (;;) {
    const stream = await clnt.access();
    const result = stream === null ? null : await exchange(stream);
    if (result !== null) {
      clnt.release();
      return result;
    }
    const code = stream?.error?.code ?? (stream === null ? 'ENOENT' : stream.timedOut ? 'ETIMEDOUT' : 'EPIPE');
    if (msg.verbose || (code !== 'EPIPE' && code !== 'ENOENT')) {
      msg.warn(`problem talking to service ${mailConfStr('address_verify_service_name')}: ${strerror(code)}`);
    }
    await sleep(1000);
    clnt.recover();
  }
}

/** Postfix: verify_clnt_update(). The service's status (VRFY_STAT_*). */
export function verifyClntUpdate(addr: string, addrStatus: number, why: string): Promise<number> {
  return roundTrip(async (stream) => {
    attrPrint0(stream, ATTR_FLAG_NONE, [
      sendAttrStr(MAIL_ATTR_REQ, VRFY_REQ_UPDATE), sendAttrStr(MAIL_ATTR_ADDR, addr),
      sendAttrInt(MAIL_ATTR_ADDR_STATUS, addrStatus), sendAttrStr(MAIL_ATTR_WHY, why),
    ]);
    const { count, values } = await attrScan0(stream, ATTR_FLAG_MISSING, [recvAttrInt(MAIL_ATTR_STATUS)]);
    return count === 1 ? values[0] : null;
  });
}

/** Postfix: verify_clnt_query(). The request status, the address status and the reason. */
export function verifyClntQuery(addr: string): Promise<{ status: number; addrStatus: number; why: string }> {
  return roundTrip(async (stream) => {
    attrPrint0(stream, ATTR_FLAG_NONE, [sendAttrStr(MAIL_ATTR_REQ, VRFY_REQ_QUERY), sendAttrStr(MAIL_ATTR_ADDR, addr)]);
    const { count, values } = await attrScan0(stream, ATTR_FLAG_MISSING, [
      recvAttrInt(MAIL_ATTR_STATUS), recvAttrInt(MAIL_ATTR_ADDR_STATUS), recvAttrStr(MAIL_ATTR_WHY),
    ]);
    return count === 3 ? { status: values[0], addrStatus: values[1], why: values[2] } : null;
  });
}
