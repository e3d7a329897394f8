/*
 * postconf_main - main.cf parameters for postconf: read, override, print.
 * Counterpart: postfix/src/postconf/postconf_main.c and postconf_misc.c.
 */
import { msg } from '../util/msg.js';
import { safeGetenv } from '../util/safe.js';
import { CONF_ENV_PATH, DEF_CONFIG_DIR, MAIN_CONF_FILE, configDict, dictLoadFile, mailConfUpdate,
  splitNameval } from '../global/mail_conf.js';
import { VAR_CONFIG_DIR } from '../global/mail_params.js';
import { strerror } from '../util/strerror.js';
import { PCF_PARAM_FLAG_RAW, paramTable, type ParamNode } from './postconf_node.js';
import { byteOrder } from './postconf_master.js';
import { expandParameterValue, lookupParameterValue } from './postconf_lookup.js';
import { PCF_HIDE_NAME, PCF_HIDE_VALUE, PCF_SHOW_EVAL, printLine, type Output } from './postconf_print.js';

/** Postfix: pcf_set_config_dir(): MAIL_CONFIG (set by -c) also becomes config_directory. */
export function setConfigDir(): string {
  const dir = safeGetenv(CONF_ENV_PATH);
  if (dir === undefined) return DEF_CONFIG_DIR;
  configDict.set(VAR_CONFIG_DIR, dir);
  return dir;
}

/** Postfix: pcf_read_parameters(). */
export function readParameters(): string {
  const dir = setConfigDir();
  const path = `${dir}/${MAIN_CONF_FILE}`;
  const err = dictLoadFile(configDict, path);
  if (err !== undefined) msg.fatal(`open ${path}: ${strerror(err)}`);
  return dir;
}

/** Postfix: pcf_set_parameters(): -o name=value. */
export function setParameters(overrides: readonly string[]): void {
  for (const arg of overrides) {
    const nv = splitNameval(arg);
    if (typeof nv === 'string') msg.fatal(`invalid parameter override: ${arg}: ${nv}`);
    mailConfUpdate(nv[0], nv[1]);
  }
}

function printParameter(out: Output, mode: number, name: string, node: ParamNode): void {
  let value = lookupParameterValue(mode, name, undefined, node);
  if (value === undefined) return;
  if (mode & PCF_HIDE_VALUE) {
    printLine(out, mode, `${name}\n`);
    if (msg.verbose) out.flush();
    return;
  }
  if ((mode & PCF_SHOW_EVAL) && (node.flags & PCF_PARAM_FLAG_RAW) === 0) value = expandParameterValue(mode, value);
  printLine(out, mode, (mode & PCF_HIDE_NAME) === 0 ? `${name} = ${value}\n` : `${value}\n`);
  if (msg.verbose) out.flush();
}

/** Postfix: pcf_show_parameters(). */
export function showParameters(out: Output, mode: number, paramClass: number, names: readonly string[]): void {
  if (names.length === 0) {
    for (const name of [...paramTable.keys()].sort(byteOrder)) {
      const node = paramTable.get(name)!;
      if (paramClass & node.flags) printParameter(out, mode, name, node);
    }
    return;
  }
  for (const name of names) {
    const node = paramTable.get(name);
    if (node === undefined) msg.warn(`${name}: unknown parameter`);
    else printParameter(out, mode, name, node);
  }
}
