/*
 * recipient_list - one envelope recipient as the queue manager hands it to a delivery
 * agent, and its wire forms.
 * Counterpart: postfix/src/global/recipient_list.h (RECIPIENT), rcpt_print.c and
 * rcpt_buf.c (rcpb_scan()); the attribute order original_recipient, recipient, offset,
 * dsn_orig_rcpt, notify_flags is the wire format.
 */
import {
  ATTR_FLAG_MORE, recvAttrFunc, recvAttrInt, recvAttrLong, recvAttrStr, sendAttrFunc, sendAttrInt, sendAttrLong,
  sendAttrStr, type RecvAttr, type SendAttr,
} from '../util/attr.js';
import {
  MAIL_ATTR_DSN_NOTIFY, MAIL_ATTR_DSN_ORCPT, MAIL_ATTR_OFFSET, MAIL_ATTR_ORCPT, MAIL_ATTR_RECIP,
} from './mail_proto.js';

export interface Recipient {
  /** Offset of the REC_TYPE_RCPT record in the queue file (-1: none). */
  offset: number;
  /** DSN ORCPT, e.g. "rfc822;bob@example.net". */
  dsn_orcpt: string;
  /** DSN NOTIFY bits (DSN_NOTIFY_*). */
  dsn_notify: number;
  /** The address before rewriting, aliasing or forwarding. */
  orig_addr: string;
  address: string;
}

/** Postfix: SEND_ATTR_FUNC(rcpt_print, rcpt). */
export function sendRecipient(rcpt: Recipient): SendAttr {
  return sendAttrFunc((print, flags) => print(flags | ATTR_FLAG_MORE, [
    sendAttrStr(MAIL_ATTR_ORCPT, rcpt.orig_addr),
    sendAttrStr(MAIL_ATTR_RECIP, rcpt.address),
    sendAttrLong(MAIL_ATTR_OFFSET, rcpt.offset),
    sendAttrStr(MAIL_ATTR_DSN_ORCPT, rcpt.dsn_orcpt),
    sendAttrInt(MAIL_ATTR_DSN_NOTIFY, rcpt.dsn_notify),
  ]));
}

/**
 * Postfix: RECV_ATTR_FUNC(rcpb_scan, rcpt_buf). The recipient lands in into.rcpt; the
 * function's count is 1 on success, -1 otherwise, as rcpb_scan() returns.
 */
export function recvRecipient(into: { rcpt: Recipient | null }): RecvAttr {
  return recvAttrFunc(async (scan, stream, flags) => {
    const { count, values } = await scan(stream, flags | ATTR_FLAG_MORE, [
      recvAttrStr(MAIL_ATTR_ORCPT), recvAttrStr(MAIL_ATTR_RECIP), recvAttrLong(MAIL_ATTR_OFFSET),
      recvAttrStr(MAIL_ATTR_DSN_ORCPT), recvAttrInt(MAIL_ATTR_DSN_NOTIFY),
    ]);
    if (count !== 5) return -1;
    const [orig_addr, address, offset, dsn_orcpt, dsn_notify] = values;
    into.rcpt = { offset: Number(offset), dsn_orcpt, dsn_notify, orig_addr, address };
    return 1;
  });
}
