/*
 * postconf_user - user-defined parameters, and the "unused parameter" warnings.
 * Counterpart: postfix/src/postconf/postconf_user.c and postconf_unused.c. A name=value
 * in main.cf or master.cf that is no built-in or service parameter counts as used when
 * some parameter value refers to it as $name, or when smtpd_restriction_classes lists it.
 */
import { msg } from '../util/msg.js';
import { MAC_EXP_FLAG_RECURSE, MAC_EXP_FLAG_SCAN, MAC_PARSE_ERROR, macExpand } from '../util/mac_expand.js';
import { MAIN_CONF_FILE, MASTER_CONF_FILE, configDict } from '../global/mail_conf.js';
import { VAR_REST_CLASSES } from '../global/mail_params.js';
import { PCF_PARAM_FLAG_BUILTIN, PCF_PARAM_FLAG_SERVICE, PCF_PARAM_FLAG_DBMS, PCF_PARAM_FLAG_LEGACY, PCF_PARAM_FLAG_RAW, PCF_PARAM_FLAG_READONLY,
  PCF_PARAM_FLAG_USER, overrideClass, paramTable, type ParamNode } from './postconf_node.js';
import { collectMasterParams, masterTable, type MasterEntry } from './postconf_master.js';
import { PCF_SHOW_EVAL, stdoutStream } from './postconf_print.js';
import { expandParameterValue } from './postconf_lookup.js';
import { registerDbmsParameters } from './postconf_dbms.js';

const restrictionClasses = new Set<string>();

const userNode = (flags: number): ParamNode => ({ flags, defaultValue: () => '' });

/** Postfix: pcf_flag_user_parameter(): $name seen in a value; make a matching name=value valid. */
export function flagUserParameter(configDir: string, name: string, flags: number, scope: MasterEntry | undefined): void {
  let userSupplied = false;
  const where = scope ? `${MASTER_CONF_FILE}:${scope.nameSpace}` : MAIN_CONF_FILE;
  if (scope?.allParams?.has(name)) {
    userSupplied = true;
    if (!scope.validNames!.has(name)) {
      scope.validNames!.set(name, userNode(flags));
      if (msg.verbose) msg.info(`$${name} in ${where} validates ${name}=value in ${where}`);
    }
  } else if (configDict.has(name)) {
    userSupplied = true;
    if (!paramTable.has(name)) {
      paramTable.set(name, userNode(flags));
      if (msg.verbose) msg.info(`$${name} in ${where} validates ${name}=value in ${MAIN_CONF_FILE}`);
    }
  }
  if (scope === undefined) {
    for (const entry of masterTable) {
      if (entry.allParams?.has(name)) {
        userSupplied = true;
        if (!entry.validNames!.has(name)) {
          entry.validNames!.set(name, userNode(flags));
          if (msg.verbose) msg.info(`$${name} in ${MAIN_CONF_FILE} validates ${name}=value in ${MASTER_CONF_FILE}:${entry.nameSpace}`);
        }
      }
    }
  }
  if (!userSupplied && (flags & PCF_PARAM_FLAG_DBMS) === 0 && !paramTable.has(name)) {
    msg.warn(`${configDir}/${scope ? MASTER_CONF_FILE : MAIN_CONF_FILE}: undefined parameter: ${name}`);
  }
}

function scanValue(configDir: string, value: string, flags: number, scope: MasterEntry | undefined): void {
  macExpand(value, MAC_EXP_FLAG_SCAN, undefined, (name) => {
    flagUserParameter(configDir, name, flags, scope);
    return undefined;
  });
}

/** Postfix: pcf_scan_user_parameter_namespace(). */
function scanNamespace(configDir: string, dict: Map<string, string>, scope: MasterEntry | undefined): void {
  const source = scope ? MASTER_CONF_FILE : MAIN_CONF_FILE;
  const classes = dict.get(VAR_REST_CLASSES);
  if (classes !== undefined) {
    // Postfix: dict_eval() on this dictionary alone.
    const out = macExpand(classes, MAC_EXP_FLAG_RECURSE, undefined, (n) => dict.get(n));
    if (out.status & MAC_PARSE_ERROR) msg.fatal(`dictionary ${scope ? scope.nameSpace : 'mail_dict'}: macro processing error`);
    const expanded = out.result;
    for (const name of expanded.split(/[, \t\r\n]+/).filter((w) => w !== '')) {
      if (scope === undefined) restrictionClasses.add(name);
      flagUserParameter(configDir, name, PCF_PARAM_FLAG_USER, scope);
    }
  }
  for (const [name, value] of dict) {
    if (scope !== undefined && !scope.validNames!.has(name) && restrictionClasses.has(name)) {
      scope.validNames!.set(name, userNode(PCF_PARAM_FLAG_USER));
    }
    const node = paramTable.get(name);
    if (node !== undefined) {
      if (node.flags & PCF_PARAM_FLAG_READONLY) {
        msg.warn(`${configDir}/${source}: read-only parameter assignment: ${name}=${value}`);
        dict.delete(name);
        continue;
      }
      if (node.flags & PCF_PARAM_FLAG_LEGACY) overrideClass(node, PCF_PARAM_FLAG_USER);
      if (node.flags & PCF_PARAM_FLAG_RAW) continue;
    }
    scanValue(configDir, value, PCF_PARAM_FLAG_USER, scope);
    if (node !== undefined && (node.flags & (PCF_PARAM_FLAG_BUILTIN | PCF_PARAM_FLAG_SERVICE))) {
      const expanded = expandParameterValue(PCF_SHOW_EVAL, value, scope);
      registerDbmsParameters(expanded, (n, f) => flagUserParameter(configDir, n, f, scope), scope);
    }
  }
}

/** Postfix: pcf_register_user_parameters(). */
export function registerUserParameters(configDir: string): void {
  for (const entry of masterTable) collectMasterParams(entry);
  for (const entry of masterTable) if (entry.allParams) scanNamespace(configDir, entry.allParams, entry);
  // Default values may refer to user-defined names too ($name that main.cf defines).
  for (const [name, node] of [...paramTable]) {
    if (node.flags & PCF_PARAM_FLAG_RAW || configDict.has(name)) continue;
    scanValue(configDir, node.defaultValue(), PCF_PARAM_FLAG_USER, undefined);
  }
  scanNamespace(configDir, configDict, undefined);
}

function flagUnused(configDir: string, dict: Map<string, string>, confName: string, scope: MasterEntry | undefined): void {
  for (const [name, value] of dict) {
    if (!paramTable.has(name) && (scope === undefined || !scope.validNames!.has(name))) {
      stdoutStream.flush();
      msg.warn(`${configDir}/${confName}: unused parameter: ${name}=${value}`);
    }
  }
}

/** Postfix: pcf_flag_unused_main_parameters(). */
export function flagUnusedMainParameters(configDir: string): void {
  flagUnused(configDir, configDict, MAIN_CONF_FILE, undefined);
}

/** Postfix: pcf_flag_unused_master_parameters(). */
export function flagUnusedMasterParameters(configDir: string): void {
  for (const entry of masterTable) if (entry.allParams) flagUnused(configDir, entry.allParams, MASTER_CONF_FILE, entry);
}
