/*
 * dsn - the delivery status of one recipient as delivery agents report it to the bounce,
 * defer, trace and verify services, and to the queue manager.
 * Counterpart: postfix/src/global/dsn.h, dsn.c and dsn_print.c (the attribute order of
 * dsn_print() is the wire format: status, diag_type, diag_text, mta_type, mta_mname,
 * action, reason).
 */
import { ATTR_FLAG_MORE, sendAttrFunc, sendAttrStr, type SendAttr } from '../util/attr.js';
import {
  MAIL_ATTR_DSN_ACTION, MAIL_ATTR_DSN_DTEXT, MAIL_ATTR_DSN_DTYPE, MAIL_ATTR_DSN_MNAME, MAIL_ATTR_DSN_MTYPE,
  MAIL_ATTR_DSN_STATUS, MAIL_ATTR_WHY,
} from './mail_proto.js';

export interface Dsn {
  /** RFC 3463 status, e.g. "5.1.1". */
  status: string;
  /** Remote MTA diagnostic type ("smtp") and text, or empty. */
  dtype: string;
  dtext: string;
  /** Remote MTA type ("dns") and name, or empty. */
  mtype: string;
  mname: string;
  /** "delivered", "failed", "delayed", ... or empty for the default. */
  action: string;
  /** Free text for logging and notices. */
  reason: string;
}

export const DSN_NO_ACTION = '';

/** Postfix: DSN_SIMPLE(): only a status and a reason. */
export function dsnSimple(status: string, reason: string): Dsn {
  return { status, dtype: '', dtext: '', mtype: '', mname: '', action: DSN_NO_ACTION, reason };
}

/** Postfix: SEND_ATTR_FUNC(dsn_print, dsn). */
export function sendDsn(dsn: Dsn): SendAttr {
  return sendAttrFunc((print, flags) => print(flags | ATTR_FLAG_MORE, [
    sendAttrStr(MAIL_ATTR_DSN_STATUS, dsn.status),
    sendAttrStr(MAIL_ATTR_DSN_DTYPE, dsn.dtype),
    sendAttrStr(MAIL_ATTR_DSN_DTEXT, dsn.dtext),
    sendAttrStr(MAIL_ATTR_DSN_MTYPE, dsn.mtype),
    sendAttrStr(MAIL_ATTR_DSN_MNAME, dsn.mname),
    sendAttrStr(MAIL_ATTR_DSN_ACTION, dsn.action),
    sendAttrStr(MAIL_ATTR_WHY, dsn.reason),
  ]));
}
