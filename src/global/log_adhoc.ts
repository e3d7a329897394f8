/*
 * log_adhoc - the per-recipient delivery log line that logwatch and pflogsumm parse:
 * "QUEUEID: to=<addr>, orig_to=<addr>, relay=..., conn_use=N, delay=..., delays=a/b/c/d,
 * dsn=X.Y.Z, status=sent (reason)".
 * Counterpart: postfix/src/global/log_adhoc.c. The delays are time before the queue
 * manager, in the queue manager, connection set-up and transmission, printed by format_tv().
 */
import { casefoldUtf8 } from '../util/casefold.js';
import { formatTv } from '../util/format_tv.js';
import { msg } from '../util/msg.js';
import { utilUtf8Enable } from '../util/printable.js';
import { allAscii, lowercase } from '../util/stringops.js';
import type { Dsn } from './dsn.js';
import { infoLogAddrFormRecipient } from './info_log_addr_form.js';
import { mailConfInt } from './mail_conf.js';
import { getTimeOfDay } from './mail_queue.js';
import type { MsgStats, Timeval } from './msg_stats.js';
import type { Recipient } from './recipient_list.js';

interface Delta {
  sec: number;
  usec: number;
}

/* Postfix: DELTA(): y - z, normalized; a clock that went back gives zero. */
function delta(y: Timeval, z: Timeval): Delta {
  let sec = y.sec - z.sec;
  let usec = y.usec - z.usec;
  while (usec < 0) {
    usec += 1000000;
    sec -= 1;
  }
  while (usec >= 1000000) {
    usec -= 1000000;
    sec += 1;
  }
  return sec < 0 ? { sec: 0, usec: 0 } : { sec, usec };
}

const ZERO: Delta = { sec: 0, usec: 0 };
const stamped = (tv: Timeval) => tv.sec > 0;

/** Postfix: strcasecmp_utf8() == 0. */
function sameAddress(a: string, b: string): boolean {
  if (!utilUtf8Enable || (allAscii(a) && allAscii(b))) return lowercase(a) === lowercase(b);
  return casefoldUtf8(a) === casefoldUtf8(b);
}

let maxResolution: number | undefined;

/** Postfix: log_adhoc(). */
export function logAdhoc(id: string, stats: MsgStats, recipient: Recipient, relay: string, dsn: Dsn, status: string): void {
  let buf = `${id}: to=<${infoLogAddrFormRecipient(recipient.address)}>`;
  if (recipient.orig_addr !== '' && !sameAddress(recipient.address, recipient.orig_addr)) {
    buf += `, orig_to=<${infoLogAddrFormRecipient(recipient.orig_addr)}>`;
  }
  buf += `, relay=${relay}`;
  if (stats.reuse_count > 0) buf += `, conn_use=${stats.reuse_count + 1}`;

  /*
   * Without a time stamp for a later stage, the wall clock ends the stage that was under
   * way: mail bounced by cleanup has no active queue time, mail deferred by the queue
   * manager no hand-off, a delivery agent that did not say when it finished ends now.
   */
  const now = stamped(stats.deliver_done) ? stats.deliver_done : getTimeOfDay();
  const total = delta(now, stats.incoming_arrival);
  let pdelay: Delta;
  let adelay = ZERO;
  let sdelay = ZERO;
  let xdelay = ZERO;
  if (stamped(stats.active_arrival)) {
    pdelay = delta(stats.active_arrival, stats.incoming_arrival);
    if (stamped(stats.agent_handoff)) {
      adelay = delta(stats.agent_handoff, stats.active_arrival);
      if (stamped(stats.conn_setup_done)) {
        sdelay = delta(stats.conn_setup_done, stats.agent_handoff);
        xdelay = delta(now, stats.conn_setup_done);
      } else {
        xdelay = delta(now, stats.agent_handoff); // no network client
      }
    } else {
      adelay = delta(now, stats.active_arrival); // no delivery agent
    }
  } else {
    pdelay = delta(now, stats.incoming_arrival); // no queue manager
  }
  maxResolution ??= mailConfInt('delay_logging_resolution_limit');
  const pretty = (d: Delta) => formatTv(d.sec, d.usec, 2, maxResolution!);
  buf += `, delay=${pretty(total)}, delays=${pretty(pdelay)}/${pretty(adelay)}/${pretty(sdelay)}/${pretty(xdelay)}`;
  buf += `, dsn=${dsn.status}, status=${status} (${dsn.reason})`;
  msg.info(buf);
}
