/*
 * msg_stats - the per-message delivery time stamps that qmgr hands to delivery agents, sent
 * as one raw C struct in the DATA attribute "time".
 * Counterpart: postfix/src/global/msg_stats.h, msg_stats_print.c, msg_stats_scan.c. The
 * layout is MSG_STATS on x86_64 Linux: five struct timeval (8-byte seconds, 8-byte
 * microseconds, little-endian), an int reuse count and 4 bytes of padding: 88 bytes. A
 * receiver rejects any other size.
 */
import {
  ATTR_FLAG_MORE, recvAttrData, recvAttrFunc, sendAttrData, sendAttrFunc, type RecvAttr, type SendAttr,
} from '../util/attr.js';
import { msg } from '../util/msg.js';
import { MAIL_ATTR_TIME } from './mail_proto.js';

export interface Timeval {
  sec: number;
  usec: number;
}

export interface MsgStats {
  incoming_arrival: Timeval;
  active_arrival: Timeval;
  agent_handoff: Timeval;
  conn_setup_done: Timeval;
  deliver_done: Timeval;
  reuse_count: number;
}

const TIMEVALS = ['incoming_arrival', 'active_arrival', 'agent_handoff', 'conn_setup_done', 'deliver_done'] as const;
export const MSG_STATS_SIZE = 88;

/** Postfix: MSG_STATS_INIT(). */
export function msgStatsInit(): MsgStats {
  const zero = () => ({ sec: 0, usec: 0 });
  return { incoming_arrival: zero(), active_arrival: zero(), agent_handoff: zero(), conn_setup_done: zero(),
    deliver_done: zero(), reuse_count: 0 };
}

/** The struct's bytes, padding zeroed. */
export function encodeMsgStats(stats: MsgStats): Buffer {
  const buf = Buffer.alloc(MSG_STATS_SIZE);
  TIMEVALS.forEach((field, n) => {
    buf.writeBigInt64LE(BigInt(stats[field].sec), n * 16);
    buf.writeBigInt64LE(BigInt(stats[field].usec), n * 16 + 8);
  });
  buf.writeInt32LE(stats.reuse_count, 80);
  return buf;
}

export function decodeMsgStats(buf: Buffer): MsgStats {
  const stats = msgStatsInit();
  TIMEVALS.forEach((field, n) => {
    stats[field] = { sec: Number(buf.readBigInt64LE(n * 16)), usec: Number(buf.readBigInt64LE(n * 16 + 8)) };
  });
  stats.reuse_count = buf.readInt32LE(80);
  return stats;
}

/** Postfix: SEND_ATTR_FUNC(msg_stats_print, stats). */
export function sendMsgStats(stats: MsgStats): SendAttr {
  return sendAttrFunc((print, flags) => print(flags | ATTR_FLAG_MORE, [sendAttrData(MAIL_ATTR_TIME, encodeMsgStats(stats))]));
}

/**
 * Postfix: RECV_ATTR_FUNC(msg_stats_scan, stats). The decoded struct lands in into.stats;
 * a size other than MSG_STATS_SIZE is an error.
 */
export function recvMsgStats(into: { stats: MsgStats }): RecvAttr {
  return recvAttrFunc(async (scan, stream, flags) => {
    const { count, values: [data] } = await scan(stream, flags | ATTR_FLAG_MORE, [recvAttrData(MAIL_ATTR_TIME)]);
    if (count !== 1) return count;
    if (data.length !== MSG_STATS_SIZE) {
      msg.warn(`msg_stats_scan: size mis-match: ${data.length} != ${MSG_STATS_SIZE}`);
      return -1;
    }
    into.stats = decodeMsgStats(data);
    return count;
  });
}
