/*
 * flush_clnt - the fast flush service client: tell flush(8) about mail deferred for a
 * domain, or ask it to deliver such mail. Only domains in fast_flush_domains qualify.
 * Counterpart: postfix/src/global/flush_clnt.c (flush_init() and flush_add(); the other
 * requests come with the programs that send them). XXX No warning about the
 * backwards-compatible relay_domains default (compatibility_level < 2).
 */
import { sendAttrStr } from '../util/attr.js';
import { MATCH_FLAG_RETURN } from '../util/match_list.js';
import { msg } from '../util/msg.js';
import { domainListInit, domainListMatch, matchParentStyle, type DomainList } from './domain_list.js';
import { mailCommandClient } from './mail_command_client.js';
import { mailConfStr } from './mail_conf.js';
import { MAIL_ATTR_PROTO_FLUSH, MAIL_ATTR_QUEUEID, MAIL_ATTR_REQ, MAIL_ATTR_SITE, MAIL_CLASS_PUBLIC } from './mail_proto.js';

export const FLUSH_REQ_ADD = 'add';
export const FLUSH_REQ_SEND_SITE = 'send_site';
export const FLUSH_REQ_SEND_FILE = 'send_file';
export const FLUSH_REQ_REFRESH = 'rfrsh';
export const FLUSH_REQ_PURGE = 'purge';

export const FLUSH_STAT_FAIL = -1;
export const FLUSH_STAT_OK = 0;
export const FLUSH_STAT_BAD = 3;
export const FLUSH_STAT_DENY = 4;

let flushDomains: DomainList | undefined;

/** Postfix: flush_init(); before the chroot, as tables may be opened. */
export async function flushInit(): Promise<void> {
  flushDomains = await domainListInit('fast_flush_domains',
    MATCH_FLAG_RETURN | (await matchParentStyle('fast_flush_domains')), mailConfStr('fast_flush_domains'));
}

/** Postfix: flush_add(): record that the queue file has mail for the site. */
export async function flushAdd(site: string, queueId: string): Promise<number> {
  const myname = 'flush_add';
  if (msg.verbose) msg.info(`${myname}: site ${site} id ${queueId}`);
  if (flushDomains === undefined) msg.panic('missing flush client initialization');
  let status: number;
  if (await domainListMatch(flushDomains, site)) {
    status = await mailCommandClient(MAIL_CLASS_PUBLIC, mailConfStr('flush_service_name'), MAIL_ATTR_PROTO_FLUSH, [
      sendAttrStr(MAIL_ATTR_REQ, FLUSH_REQ_ADD), sendAttrStr(MAIL_ATTR_SITE, site),
      sendAttrStr(MAIL_ATTR_QUEUEID, queueId),
    ]);
  } else {
    status = flushDomains.error === 0 ? FLUSH_STAT_DENY : FLUSH_STAT_FAIL;
  }
  if (msg.verbose) msg.info(`${myname}: site ${site} id ${queueId} status ${status}`);
  return status;
}
