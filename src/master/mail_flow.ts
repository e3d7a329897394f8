/*
 * mail_flow - the flow-control tokens that master hands every child on descriptors 3 and 4:
 * cleanup takes one token per message, qmgr puts tokens back after deliveries.
 * Counterpart: postfix/src/master/mail_flow.c. Master makes both pipe ends non-blocking, so
 * an empty pipe reads as "no token" at once.
 */
import { fstatSync, readSync, writeSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { peekfd } from '../util/peekfd.js';
import { strerror } from '../util/strerror.js';
import { MASTER_FLOW_READ, MASTER_FLOW_WRITE } from './master_proto.js';

const BUFFER_SIZE = 1024;

/** Postfix: mail_flow_get(). Reads and discards len tokens; -1 when they are not there. */
export function mailFlowGet(len: number): number {
  const myname = 'mail_flow_get';
  if (len <= 0) msg.panic(`${myname}: bad length ${len}`);
  try {
    fstatSync(MASTER_FLOW_WRITE);
  } catch (err) {
    msg.fatal(`fstat flow pipe write descriptor: ${strerror(err)}`);
  }
  const buf = Buffer.alloc(Math.min(len, BUFFER_SIZE));
  let count = len;
  while (count > 0) {
    let n: number;
    try {
      n = readSync(MASTER_FLOW_READ, buf, 0, Math.min(count, BUFFER_SIZE), null);
    } catch {
      return -1; // EAGAIN: no tokens
    }
    if (n <= 0) return -1;
    count -= n;
  }
  if (msg.verbose) msg.info(`${myname}: ${len} ${len - count}`);
  return len - count;
}

/** Postfix: mail_flow_put(). Writes len tokens (NUL bytes); -1 on error. */
export function mailFlowPut(len: number): number {
  const myname = 'mail_flow_put';
  if (len <= 0) msg.panic(`${myname}: bad length ${len}`);
  const buf = Buffer.alloc(Math.min(len, BUFFER_SIZE));
  let count = len;
  while (count > 0) {
    try {
      count -= writeSync(MASTER_FLOW_WRITE, buf, 0, Math.min(count, BUFFER_SIZE));
    } catch {
      return -1;
    }
  }
  if (msg.verbose) msg.info(`${myname}: ${len} ${len - count}`);
  return len - count;
}

/** Postfix: mail_flow_count(). The number of tokens available, or -1 after a warning. */
export function mailFlowCount(): number {
  try {
    return peekfd(MASTER_FLOW_READ);
  } catch (err) {
    msg.warn(`mail_flow_count: ${strerror(err)}`);
    return -1;
  }
}
