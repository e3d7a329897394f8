/*
 * postconf_lookup - a parameter's value as postconf sees it, and its $name expansion.
 * Counterpart: postfix/src/postconf/postconf_lookup.c. Search order: the master.cf
 * service's read-only names and -o settings (with -P/-M/-F), then main.cf, then the
 * default; -d looks at defaults only and -n at explicit settings only.
 */
import { msg } from '../util/msg.js';
import { MAC_EXP_FLAG_RECURSE, MAC_PARSE_ERROR, macExpand } from '../util/mac_expand.js';
import { configDict } from '../global/mail_conf.js';
import { paramTable, type ParamNode } from './postconf_node.js';
import type { MasterEntry } from './postconf_master.js';
import { PCF_SHOW_DEFS, PCF_SHOW_NONDEF } from './postconf_print.js';

/** Postfix: pcf_lookup_parameter_value(). */
export function lookupParameterValue(mode: number, name: string, scope?: MasterEntry, node?: ParamNode): string | undefined {
  if ((mode & PCF_SHOW_DEFS) === 0) {
    const value = scope?.roParams.get(name) ?? scope?.allParams?.get(name) ?? configDict.get(name);
    if (value !== undefined) return value;
    if (mode & PCF_SHOW_NONDEF) return undefined;
  }
  return (node ?? paramTable.get(name))?.defaultValue();
}

/** Postfix: pcf_expand_parameter_value(). */
export function expandParameterValue(mode: number, value: string, scope?: MasterEntry): string {
  const lookupMode = mode & ~PCF_SHOW_NONDEF;
  const out = macExpand(value, MAC_EXP_FLAG_RECURSE, undefined, (name) => lookupParameterValue(lookupMode, name, scope));
  if (out.status & MAC_PARSE_ERROR) msg.fatal('macro processing error');
  return out.result;
}
