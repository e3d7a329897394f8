/*
 * mail_conf - read main.cf into the configuration dictionary and look parameters up.
 * Counterpart: postfix/src/global/mail_conf.c, mail_conf_{str,int,bool,time}.c, and the
 * main.cf file format of util/dict.c (dict_load_fp) with util/readlline.c (logical lines).
 * Values are byte strings. A parameter absent from main.cf takes its default from the table
 * in mail_params.ts; $name expansion sees main.cf values first, then those defaults.
 */
import { readFileSync, statSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { isErrno, strerror } from '../util/strerror.js';
import { safeGetenv, unsafe } from '../util/safe.js';
import { readLogicalLines } from '../util/readlline.js';
import { MAC_EXP_FLAG_RECURSE, MAC_PARSE_ERROR, macExpand } from '../util/mac_expand.js';
import { compatLevelRelopRegister } from './compat_level.js';
import { setMailTaskSyslogName } from './mail_task.js';
import { MAIN_PARAMS, type DefaultEval, type ParamKind, type ParamName, type ParamSpec, VAR_CONFIG_DIR } from './mail_params.js';

export const DEF_CONFIG_DIR = '/etc/postfix';
export const MAIN_CONF_FILE = 'main.cf';
export const MASTER_CONF_FILE = 'master.cf';
export const CONF_ENV_PATH = 'MAIL_CONFIG';
export const CONF_ENV_VERB = 'MAIL_VERBOSE';
export const CONF_ENV_DEBUG = 'MAIL_DEBUG';
export const CONF_ENV_LOGTAG = 'MAIL_LOGTAG';

/** The configuration dictionary (Postfix: CONFIG_DICT, "mail_dict"), in insertion order. */
export const configDict = new Map<string, string>();

export { readLogicalLines, type LogicalLine } from '../util/readlline.js';

/** Postfix: split_nameval(). Returns [name, value] or the error text. */
export function splitNameval(buf: string): [string, string] | string {
  const m = /^[ \t\n\r\v\f]*([^ \t\n\r\v\f=]*)[ \t\n\r\v\f]*(=?)/.exec(buf)!;
  if (m[1] === '') return 'missing attribute name';
  if (m[2] !== '=') return "missing '=' after attribute name";
  const value = buf.slice(m[0].length).replace(/^[ \t\n\r\v\f]+/, '').replace(/[ \t\n\r\v\f]+$/, '');
  return [m[1]!, value];
}

/** Postfix: dict_load_fp(): name = value lines from text into a map. */
export function dictLoadText(dict: Map<string, string>, path: string, text: string): void {
  for (const { text: line, lineno } of readLogicalLines(text, path)) {
    const nv = splitNameval(line);
    if (typeof nv === 'string') msg.fatal(`${path}, line ${lineno}: ${nv}: "${line}"`);
    const [name, value] = nv;
    const old = dict.get(name);
    if (old !== undefined && old !== value) msg.warn(`${path}, line ${lineno}: overriding earlier entry: ${name}=${old}`);
    dict.set(name, value);
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Postfix: load_file() and dict_load_file_xt(): read a file with a reader, and read it
 * again, 300 ms later, for as long as it was modified within the last second (someone
 * may still be writing it). Returns the open error, if the file could not be opened.
 */
export function loadFileCooled(path: string, reader: (text: string) => void): NodeJS.ErrnoException | undefined {
  for (let before = nowSeconds(); ;) {
    let text: string;
    let mtime: number;
    try {
      text = readFileSync(path, 'latin1');
      mtime = Math.floor(statSync(path).mtimeMs / 1000);
    } catch (err) {
      // A directory opens fine in C; it is the read that fails.
      if (isErrno(err, 'EISDIR')) msg.fatal(`read ${path}: ${strerror(err)}`);
      return err as NodeJS.ErrnoException;
    }
    reader(text);
    const after = nowSeconds();
    if (mtime < before - 1 || mtime > after) return undefined;
    if (msg.verbose > 1) msg.info(`pausing to let ${path} cool down`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    before = after;
  }
}

/**
 * Postfix: dict_load_file_xt(): load name = value lines into a map, warning about entries
 * that override an earlier, different value. Returns the error when the file cannot be
 * opened.
 */
export function dictLoadFile(dict: Map<string, string>, path: string): NodeJS.ErrnoException | undefined {
  return loadFileCooled(path, (text) => dictLoadText(dict, path, text));
}

/** The configuration directory: MAIL_CONFIG when set (and not set-id), or the default. */
export function mailConfigDir(): string {
  return safeGetenv(CONF_ENV_PATH) ?? DEF_CONFIG_DIR;
}

/**
 * Postfix: mail_conf_checkdir(). A set-id program (whose MAIL_CONFIG and -c come from the
 * user) reads a non-default directory only when the default main.cf names it in
 * alternate_config_directories or multi_instance_directories.
 */
export function mailConfCheckdir(configDir: string): void {
  const path = `${DEF_CONFIG_DIR}/${MAIN_CONF_FILE}`;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    if (isErrno(err, 'EISDIR')) msg.fatal(`read file ${path}: ${strerror(err)}`);
    return msg.fatal(`open file ${path}: ${strerror(err)}`);
  }
  for (const { text: line } of readLogicalLines(text, path)) {
    const nv = splitNameval(line);
    if (typeof nv === 'string' || (nv[0] !== 'alternate_config_directories' && nv[0] !== 'multi_instance_directories')) continue;
    if (nv[1].split(/[, \t\r\n]+/).includes(configDir)) return;
  }
  msg.error(`unauthorized configuration directory name: ${configDir}`);
  msg.fatal(`specify "alternate_config_directories = ${configDir}" or "multi_instance_directories = ${configDir}" in ${path}`);
}

/** Postfix: mail_conf_suck()/mail_conf_read(). Dies when main.cf cannot be read. */
export function mailConfRead(): void {
  compatLevelRelopRegister();
  const dir = process.env[CONF_ENV_PATH] ?? DEF_CONFIG_DIR;
  if (dir !== DEF_CONFIG_DIR && unsafe()) mailConfCheckdir(dir);
  configDict.set(VAR_CONFIG_DIR, dir);
  const path = `${dir}/${MAIN_CONF_FILE}`;
  const err = dictLoadFile(configDict, path);
  if (err !== undefined) msg.fatal(`open ${path}: ${strerror(err)}`);
  // Postfix: mail_params_init() sets the logging identity, and exports it to children.
  const syslogName = mailConfStr('syslog_name');
  setMailTaskSyslogName(syslogName);
  if (safeGetenv(CONF_ENV_LOGTAG) !== syslogName) process.env[CONF_ENV_LOGTAG] = syslogName;
}

/** Postfix: mail_conf_lookup(): the raw main.cf value. */
export function mailConfLookup(name: string): string | undefined {
  return configDict.get(name);
}

/** Postfix: mail_conf_update(). */
export function mailConfUpdate(name: string, value: string): void {
  configDict.set(name, value);
}

/** Postfix: dict_eval() on the configuration: expand $name from main.cf only. */
export function mailConfEval(value: string): string {
  const out = macExpand(value, MAC_EXP_FLAG_RECURSE, undefined, (name) => configDict.get(name));
  if (out.status & MAC_PARSE_ERROR) msg.fatal(`dictionary mail_dict: macro processing error`);
  return out.result;
}

/** Postfix: mail_conf_lookup_eval(). */
export function mailConfLookupEval(name: string): string | undefined {
  const value = configDict.get(name);
  return value === undefined ? undefined : mailConfEval(value);
}

/** The raw default of a parameter from the table (computed ones are computed). */
export function paramDefault(name: string, spec: ParamSpec | undefined = (MAIN_PARAMS as Record<string, ParamSpec>)[name],
  defaults: DefaultEval = (other) => mailConfExpand(paramDefault(other) ?? '')): string | undefined {
  if (spec === undefined) return undefined;
  if (spec.compute) return spec.compute(mailConfLookupEval, defaults);
  return spec.def;
}

/** A parameter's raw value: main.cf, else the table default. */
export function mailConfRaw(name: string): string | undefined {
  return configDict.get(name) ?? paramDefault(name);
}

/** Expand $name references against main.cf and the table defaults, recursively. */
export function mailConfExpand(value: string): string {
  const out = macExpand(value, MAC_EXP_FLAG_RECURSE, undefined, (name) => mailConfRaw(name));
  if (out.status & MAC_PARSE_ERROR) msg.fatal('macro processing error');
  return out.result;
}

/** A string parameter's expanded value (empty when unknown). */
export function mailConfStr(name: string): string {
  const raw = mailConfRaw(name);
  return raw === undefined ? '' : mailConfExpand(raw);
}

/** A list parameter: the expanded value split on commas and white space. */
export function mailConfList(name: string): string[] {
  return mailConfStr(name).split(/[, \t\r\n]+/).filter((w) => w !== '');
}

const specOf = (name: string): ParamSpec | undefined => (MAIN_PARAMS as Record<string, ParamSpec>)[name];
const STRTOL = /^[ \t\n\r\v\f]*([+-]?[0-9]+)$/;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** Postfix: check_mail_conf_str(). */
function checkLength(name: string, value: string, spec: ParamSpec | undefined): string {
  if (spec?.min && value.length < spec.min) msg.fatal(`bad string length ${value.length} < ${spec.min}: ${name} = ${value}`);
  if (spec?.max && value.length > spec.max) msg.fatal(`bad string length ${value.length} > ${spec.max}: ${name} = ${value}`);
  return value;
}

/** Postfix: get_mail_conf_bool() (and nbool). */
export function mailConfBool(name: string): boolean {
  const value = mailConfStr(name);
  if (/^yes$/i.test(value)) return true;
  if (/^no$/i.test(value)) return false;
  return msg.fatal(`bad boolean configuration: ${name} = ${value}`);
}

/** Postfix: get_mail_conf_int() (and nint): a C int, range-checked against the table. */
export function mailConfInt(name: string): number {
  const value = mailConfStr(name);
  const m = STRTOL.exec(value);
  const n = m === null ? NaN : Number(m[1]);
  if (!(n >= INT_MIN && n <= INT_MAX)) msg.fatal(`bad numerical configuration: ${name} = ${value}`);
  const spec = specOf(name);
  if (spec?.min && n < spec.min) msg.fatal(`invalid ${name} parameter value ${n} < ${spec.min}`);
  if (spec?.max && n > spec.max) msg.fatal(`invalid ${name} parameter value ${n} > ${spec.max}`);
  return n;
}

/** Postfix: get_mail_conf_long(); as a bigint, since a C long has 64 bits. */
export function mailConfLong(name: string): bigint {
  const value = mailConfStr(name);
  const m = STRTOL.exec(value);
  const n = m === null ? undefined : BigInt(m[1]!);
  if (n === undefined || n < -(2n ** 63n) || n >= 2n ** 63n) return msg.fatal(`bad numerical configuration: ${name} = ${value}`);
  const spec = specOf(name);
  if (spec?.min && n < BigInt(spec.min)) msg.fatal(`invalid ${name} parameter value ${n} < ${spec.min}`);
  if (spec?.max && n > BigInt(spec.max)) msg.fatal(`invalid ${name} parameter value ${n} > ${spec.max}`);
  return n;
}

const TIME_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Postfix: conv_time(). Seconds from a number and an optional unit (s m h d w; the
 * default unit comes from the parameter's default). Like Postfix, only the first
 * character after the number is looked at.
 */
export function convTime(value: string, defUnit: string): number | undefined {
  const m = /^[ \t\n\r\v\f]*([+-]?[0-9]*)/.exec(value)!;
  if (value === '') return undefined;
  const n = m[1] === '' || m[1] === '+' || m[1] === '-' ? 0 : Number(m[1]);
  if (!(n >= 0 && n <= INT_MAX)) return undefined;
  const unit = TIME_UNITS[value[m[0].length] ?? defUnit];
  if (unit === undefined || (unit > 1 && n >= Math.floor(INT_MAX / unit))) return undefined;
  return n * unit;
}

/** Postfix: get_mail_conf_time(). */
export function mailConfTime(name: string): number {
  const spec = specOf(name);
  const value = mailConfStr(name);
  const seconds = convTime(value, spec?.unit ?? 's');
  if (seconds === undefined) return msg.fatal(`parameter ${name}: bad time value or unit: ${value}`);
  if (spec?.min && seconds < spec.min) msg.fatal(`invalid ${name}: ${seconds} (min ${spec.min})`);
  if (spec?.max && seconds > spec.max) msg.fatal(`invalid ${name}: ${seconds} (max ${spec.max})`);
  return seconds;
}

/** The typed value of each kind of parameter. */
export type ParamValue<K extends ParamKind> = K extends 'bool' | 'nbool' ? boolean
  : K extends 'int' | 'nint' | 'time' ? number : K extends 'long' ? bigint : string;
type Table = typeof MAIN_PARAMS;
export type MainCf<N extends ParamName> = { [P in N]: ParamValue<Table[P]['kind']> };

/** One parameter, converted and checked by the rules of its kind. */
export function mailConfValue(name: string): string | number | bigint | boolean {
  const spec = specOf(name);
  switch (spec?.kind) {
    case 'bool': case 'nbool': return mailConfBool(name);
    case 'int': case 'nint': return mailConfInt(name);
    case 'long': return mailConfLong(name);
    case 'time': return mailConfTime(name);
    case 'raw': return checkLength(name, mailConfRaw(name) ?? '', spec);
    default: return checkLength(name, mailConfStr(name), spec);
  }
}

/**
 * Read main.cf (once) and return the named parameters, typed, range-checked and
 * $-expanded: the configuration a program asks for by Postfix's names.
 */
export function loadMainCf<N extends ParamName>(names: readonly N[]): MainCf<N> {
  if (configDict.size === 0) mailConfRead();
  const cfg = {} as Record<string, unknown>;
  for (const name of names) cfg[name] = mailConfValue(name);
  return cfg as MainCf<N>;
}
