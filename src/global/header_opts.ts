/*
 * header_opts - what the mail system knows about a message header by its name: a type
 * code, and flags (sender or recipient address, Resent-, MIME, dropped on input).
 * Counterpart: postfix/src/global/header_opts.c. Lookups ignore case; the names in
 * message_drop_headers get the drop flag (and an entry of type HDR_OTHER if unknown).
 */
import { lowercase } from '../util/stringops.js';
import { msg } from '../util/msg.js';
import { mailConfStr } from './mail_conf.js';

export interface HeaderOpts {
  /** The name in its preferred capitalization (lowercase for names added by the drop list). */
  readonly name: string;
  readonly type: number;
  flags: number;
}

/* Header types. */
export const HDR_OTHER = 0;
export const HDR_APPARENTLY_TO = 1;
export const HDR_BCC = 2;
export const HDR_CC = 3;
export const HDR_CONTENT_LENGTH = 4;
export const HDR_CONTENT_TRANSFER_ENCODING = 5;
export const HDR_CONTENT_TYPE = 6;
export const HDR_DATE = 7;
export const HDR_DELIVERED_TO = 8;
export const HDR_ERRORS_TO = 9;
export const HDR_FROM = 10;
export const HDR_MESSAGE_ID = 11;
export const HDR_RECEIVED = 12;
export const HDR_REPLY_TO = 13;
export const HDR_RESENT_BCC = 14;
export const HDR_RESENT_CC = 15;
export const HDR_RESENT_DATE = 16;
export const HDR_RESENT_FROM = 17;
export const HDR_RESENT_MESSAGE_ID = 18;
export const HDR_RESENT_REPLY_TO = 19;
export const HDR_RESENT_SENDER = 20;
export const HDR_RESENT_TO = 21;
export const HDR_RETURN_PATH = 22;
export const HDR_RETURN_RECEIPT_TO = 23;
export const HDR_SENDER = 24;
export const HDR_TO = 25;
export const HDR_MAIL_FOLLOWUP_TO = 26;
export const HDR_CONTENT_DESCRIPTION = 27;
export const HDR_CONTENT_DISPOSITION = 28;
export const HDR_CONTENT_ID = 29;
export const HDR_MIME_VERSION = 30;
export const HDR_DISP_NOTIFICATION = 31;

/* Header flags. */
export const HDR_OPT_DROP = 1 << 0; // delete from input
export const HDR_OPT_SENDER = 1 << 1; // sender address
export const HDR_OPT_RECIP = 1 << 2; // recipient address
export const HDR_OPT_RR = 1 << 3; // Resent- header
export const HDR_OPT_EXTRACT = 1 << 4; // extract flag
export const HDR_OPT_MIME = 1 << 5; // MIME header
export const HDR_OPT_XRECIP = HDR_OPT_RECIP | HDR_OPT_EXTRACT;

const HEADER_OPTS: readonly [string, number, number][] = [
  ['Apparently-To', HDR_APPARENTLY_TO, HDR_OPT_RECIP],
  ['Bcc', HDR_BCC, HDR_OPT_XRECIP],
  ['Cc', HDR_CC, HDR_OPT_XRECIP],
  ['Content-Description', HDR_CONTENT_DESCRIPTION, HDR_OPT_MIME],
  ['Content-Disposition', HDR_CONTENT_DISPOSITION, HDR_OPT_MIME],
  ['Content-ID', HDR_CONTENT_ID, HDR_OPT_MIME],
  ['Content-Length', HDR_CONTENT_LENGTH, 0],
  ['Content-Transfer-Encoding', HDR_CONTENT_TRANSFER_ENCODING, HDR_OPT_MIME],
  ['Content-Type', HDR_CONTENT_TYPE, HDR_OPT_MIME],
  ['Delivered-To', HDR_DELIVERED_TO, 0],
  ['Disposition-Notification-To', HDR_DISP_NOTIFICATION, HDR_OPT_SENDER],
  ['Date', HDR_DATE, 0],
  ['Errors-To', HDR_ERRORS_TO, HDR_OPT_SENDER],
  ['From', HDR_FROM, HDR_OPT_SENDER],
  ['Mail-Followup-To', HDR_MAIL_FOLLOWUP_TO, HDR_OPT_SENDER],
  ['Message-Id', HDR_MESSAGE_ID, 0],
  ['MIME-Version', HDR_MIME_VERSION, HDR_OPT_MIME],
  ['Received', HDR_RECEIVED, 0],
  ['Reply-To', HDR_REPLY_TO, HDR_OPT_SENDER],
  ['Resent-Bcc', HDR_RESENT_BCC, HDR_OPT_XRECIP | HDR_OPT_RR],
  ['Resent-Cc', HDR_RESENT_CC, HDR_OPT_XRECIP | HDR_OPT_RR],
  ['Resent-Date', HDR_RESENT_DATE, HDR_OPT_RR],
  ['Resent-From', HDR_RESENT_FROM, HDR_OPT_SENDER | HDR_OPT_RR],
  ['Resent-Message-Id', HDR_RESENT_MESSAGE_ID, HDR_OPT_RR],
  ['Resent-Reply-To', HDR_RESENT_REPLY_TO, HDR_OPT_RECIP | HDR_OPT_RR],
  ['Resent-Sender', HDR_RESENT_SENDER, HDR_OPT_SENDER | HDR_OPT_RR],
  ['Resent-To', HDR_RESENT_TO, HDR_OPT_XRECIP | HDR_OPT_RR],
  ['Return-Path', HDR_RETURN_PATH, HDR_OPT_SENDER],
  ['Return-Receipt-To', HDR_RETURN_RECEIPT_TO, HDR_OPT_SENDER],
  ['Sender', HDR_SENDER, HDR_OPT_SENDER],
  ['To', HDR_TO, HDR_OPT_XRECIP],
];

let headerHash: Map<string, HeaderOpts> | undefined;

/** The table, with message_drop_headers applied (read from main.cf on first use). */
function headerTable(): Map<string, HeaderOpts> {
  if (headerHash !== undefined) return headerHash;
  headerHash = new Map();
  for (const [name, type, flags] of HEADER_OPTS) headerHash.set(lowercase(name), { name, type, flags });
  for (const name of mailConfStr('message_drop_headers').split(/[, \t\r\n]+/).filter((n) => n !== '')) {
    const key = lowercase(name);
    let hp = headerHash.get(key);
    if (hp === undefined) {
      hp = { name: key, type: HDR_OTHER, flags: 0 };
      headerHash.set(key, hp);
    }
    hp.flags |= HDR_OPT_DROP;
  }
  return headerHash;
}

/** Postfix: header_opts_find(): the entry for the name before the colon in text, if any. */
export function headerOptsFind(text: string): HeaderOpts | undefined {
  const colon = text.indexOf(':');
  const nul = text.indexOf('\0');
  if (colon < 0 || (nul >= 0 && nul < colon)) msg.panic(`header_opts_find: no colon in header: ${text.slice(0, 30)}`);
  const name = lowercase(text.slice(0, colon)).replace(/[ \t\r\n\v\f]+$/, '');
  return headerTable().get(name);
}
