/*
 * rec_attr_map - the named attributes that stand for pseudo record types.
 * Counterpart: postfix/src/global/rec_attr_map.c. Queue files store the DSN fields and
 * the create time as A records "name=value"; readers map the name back to the type.
 */
import { REC_TYPE_CTIME, REC_TYPE_DSN_ENVID, REC_TYPE_DSN_NOTIFY, REC_TYPE_DSN_ORCPT, REC_TYPE_DSN_RET } from './rec_type.js';

/* Attribute names as in postfix/src/global/mail_proto.h. */
export const MAIL_ATTR_CREATE_TIME = 'create_time';
export const MAIL_ATTR_DSN_ENVID = 'envelope_id';
export const MAIL_ATTR_DSN_RET = 'ret_flags';
export const MAIL_ATTR_DSN_NOTIFY = 'notify_flags';
export const MAIL_ATTR_DSN_ORCPT = 'dsn_orig_rcpt';
export const MAIL_ATTR_RWR_CONTEXT = 'rewrite_context';
export const MAIL_ATTR_ENCODING = 'encoding';
export const MAIL_ATTR_TRACE_FLAGS = 'trace_flags';
export const MAIL_ATTR_LOG_IDENT = 'log_ident';

const PSEUDO_TYPES = new Map<string, number>([
  [MAIL_ATTR_DSN_ORCPT, REC_TYPE_DSN_ORCPT],
  [MAIL_ATTR_DSN_NOTIFY, REC_TYPE_DSN_NOTIFY],
  [MAIL_ATTR_DSN_ENVID, REC_TYPE_DSN_ENVID],
  [MAIL_ATTR_DSN_RET, REC_TYPE_DSN_RET],
  [MAIL_ATTR_CREATE_TIME, REC_TYPE_CTIME],
]);

/** Postfix: rec_attr_map(): the pseudo record type for an attribute name, or 0. */
export function recAttrMap(name: string): number {
  return PSEUDO_TYPES.get(name) ?? 0;
}
