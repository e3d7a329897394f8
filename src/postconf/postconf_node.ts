/*
 * postconf_node - postconf's table of known parameter names, their class and default.
 * Counterpart: postfix/src/postconf/postconf_node.c, postconf_builtin.c and
 * postconf_service.c. Built-in names come from the table in global/mail_params.ts;
 * service-defined names from master.cf delivery agents; user-defined names are added by
 * postconf_user.ts.
 */
import { msg } from '../util/msg.js';
import { MAIN_PARAMS, LEGACY_PARAMS, type DefaultEval, type ParamSpec, VAR_PID, VAR_PROCNAME, VAR_SERVNAME,
  serviceParamSuffixes } from '../global/mail_params.js';
import { paramDefault } from '../global/mail_conf.js';
import type { MasterEntry } from './postconf_master.js';

export const PCF_PARAM_FLAG_RAW = 1 << 0;
export const PCF_PARAM_FLAG_BUILTIN = 1 << 1;
export const PCF_PARAM_FLAG_SERVICE = 1 << 2;
export const PCF_PARAM_FLAG_USER = 1 << 3;
export const PCF_PARAM_FLAG_LEGACY = 1 << 4;
export const PCF_PARAM_FLAG_READONLY = 1 << 5;
export const PCF_PARAM_FLAG_DBMS = 1 << 6;
export const PCF_PARAM_MASK_CLASS = PCF_PARAM_FLAG_BUILTIN | PCF_PARAM_FLAG_SERVICE | PCF_PARAM_FLAG_USER;

export interface ParamNode {
  flags: number;
  /** The default value as postconf -d shows it. */
  defaultValue: () => string;
}

/** Postfix: pcf_param_table. */
export const paramTable = new Map<string, ParamNode>();

/** Postfix: PCF_PARAM_CLASS_OVERRIDE(). */
export function overrideClass(node: ParamNode, flags: number): void {
  node.flags = (node.flags & ~PCF_PARAM_MASK_CLASS) | flags;
}

/** Postfix: pcf_register_builtin_parameters(). */
export function registerBuiltinParameters(procname: string, pid: number, defaults: DefaultEval): void {
  if (paramTable.size > 0) msg.panic('pcf_register_builtin_parameters: global parameter table is already initialized');
  for (const [name, spec] of Object.entries(MAIN_PARAMS) as [string, ParamSpec][]) {
    let cached: string | undefined;
    paramTable.set(name, {
      flags: PCF_PARAM_FLAG_BUILTIN | (spec.kind === 'raw' ? PCF_PARAM_FLAG_RAW : 0),
      // Computed defaults are worked out once, as Postfix caches them.
      defaultValue: () => (cached ??= paramDefault(name, spec, defaults)!),
    });
  }
  for (const name of LEGACY_PARAMS) paramTable.set(name, { flags: PCF_PARAM_FLAG_LEGACY, defaultValue: () => '' });
  const readonly = PCF_PARAM_FLAG_BUILTIN | PCF_PARAM_FLAG_READONLY;
  paramTable.set(VAR_PROCNAME, { flags: readonly, defaultValue: () => procname });
  paramTable.set(VAR_SERVNAME, { flags: readonly, defaultValue: () => '' });
  paramTable.set(VAR_PID, { flags: readonly, defaultValue: () => String(pid) });
}

/** Postfix: pcf_register_service_parameters(): <service>_xxx for delivery agents in master.cf. */
export function registerServiceParameters(master: readonly MasterEntry[]): void {
  for (const entry of master) {
    const service = entry.argv[0]!;
    for (const [suffix, param] of serviceParamSuffixes(entry.argv[7]!)) {
      const name = service + suffix;
      const node = paramTable.get(name);
      if (node !== undefined) overrideClass(node, PCF_PARAM_FLAG_SERVICE);
      else paramTable.set(name, { flags: PCF_PARAM_FLAG_SERVICE, defaultValue: () => `$${param}` });
    }
  }
}
