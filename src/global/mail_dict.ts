/*
 * mail_dict - the table types that need the mail system's own code (proxy, memcache; the
 * SQL and LDAP clients will join them), added to the table registry of util/dict_open.ts.
 * Counterpart: postfix/src/global/mail_dict.c. Programs call mailDictInit() once, after
 * reading main.cf, as Postfix's mail_params_init() does.
 */
import { dictMapnames, dictOpenRegister } from '../util/dict_open.js';
import { DICT_TYPE_MEMCACHE, dictMemcacheOpen } from './dict_memcache.js';
import { DICT_TYPE_PROXY, dictProxyOpen } from './dict_proxy.js';

/** Postfix: mail_dict_init(). Safe to call more than once. */
export function mailDictInit(): void {
  if (dictMapnames().includes(DICT_TYPE_MEMCACHE)) return;
  dictOpenRegister(DICT_TYPE_PROXY, dictProxyOpen);
  dictOpenRegister(DICT_TYPE_MEMCACHE, dictMemcacheOpen);
}
