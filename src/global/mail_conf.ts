/*
 * mail_conf - read main.cf into the configuration dictionary and look parameters up.
 * Counterpart: postfix/src/global/mail_conf.c, mail_conf_{str,int,bool,time}.c, and the
 * main.cf file format of util/dict.c (dict_load_fp) with util/readlline.c (logical lines).
 * Values are byte strings. A parameter absent from main.cf takes its default from the table
 * in mail_params.ts; $name expansion sees main.cf values first, then those defaults.
 */
import { readFileSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { safeGetenv } from '../util/safe.js';
import { MAC_EXP_FLAG_RECURSE, MAC_PARSE_ERROR, macExpand } from '../util/mac_expand.js';
import { compatLevelRelopRegister } from './compat_level.js';
import { MAIN_PARAMS, type DefaultEval, type ParamSpec, VAR_CONFIG_DIR } from './mail_params.js';

export const DEF_CONFIG_DIR = '/etc/postfix';
export const MAIN_CONF_FILE = 'main.cf';
export const MASTER_CONF_FILE = 'master.cf';
export const CONF_ENV_PATH = 'MAIL_CONFIG';
export const CONF_ENV_VERB = 'MAIL_VERBOSE';
export const CONF_ENV_DEBUG = 'MAIL_DEBUG';
export const CONF_ENV_LOGTAG = 'MAIL_LOGTAG';

/** The configuration dictionary (Postfix: CONFIG_DICT, "mail_dict"), in insertion order. */
export const configDict = new Map<string, string>();

const ISSPACE = /[ \t\n\r\v\f]/;

/** One logical line of a Postfix configuration file, numbered by its first physical line. */
export interface LogicalLine {
  text: string;
  lineno: number;
}

/**
 * Postfix: readllines(). Lines that start with white space continue the previous line;
 * lines whose first non-blank character is '#' and blank lines are skipped, also between
 * continuation lines. A logical line that itself starts with white space is reported and
 * dropped.
 */
export function* readLogicalLines(text: string, path: string): Generator<LogicalLine> {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the text ended with a newline
  let buf = '';
  let first = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!/^[ \t\n\r\v\f]*(#|$)/.test(line)) {
      if (buf === '') first = i + 1;
      buf += line;
    }
    if (buf === '') continue;
    // Postfix peeks at the next character: '#' or white space (an empty line too) continues.
    const next = lines[i + 1];
    if (next !== undefined && (next === '' || next[0] === '#' || ISSPACE.test(next[0]!))) continue;
    if (ISSPACE.test(buf[0]!)) {
      msg.warn(`${path}: logical line must not start with whitespace: "${buf.slice(0, 30)}${buf.length > 30 ? '...' : ''}"`);
    } else {
      yield { text: buf, lineno: first };
    }
    buf = '';
  }
}

/** Postfix: split_nameval(). Returns [name, value] or the error text. */
export function splitNameval(buf: string): [string, string] | string {
  const m = /^[ \t\n\r\v\f]*([^ \t\n\r\v\f=]*)[ \t\n\r\v\f]*(=?)/.exec(buf)!;
  if (m[1] === '') return 'missing attribute name';
  if (m[2] !== '=') return "missing '=' after attribute name";
  const value = buf.slice(m[0].length).replace(/^[ \t\n\r\v\f]+/, '').replace(/[ \t\n\r\v\f]+$/, '');
  return [m[1]!, value];
}

/**
 * Postfix: dict_load_file_xt() and dict_load_fp(): load name = value lines into a map,
 * warning about entries that override an earlier, different value. Returns false when
 * the file cannot be opened (errno code in the thrown error's place is returned).
 */
export function dictLoadFile(dict: Map<string, string>, path: string): NodeJS.ErrnoException | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  for (const { text: line, lineno } of readLogicalLines(text, path)) {
    const nv = splitNameval(line);
    if (typeof nv === 'string') msg.fatal(`${path}, line ${lineno}: ${nv}: "${line}"`);
    const [name, value] = nv;
    const old = dict.get(name);
    if (old !== undefined && old !== value) msg.warn(`${path}, line ${lineno}: overriding earlier entry: ${name}=${old}`);
    dict.set(name, value);
  }
  return undefined;
}

/** The configuration directory: MAIL_CONFIG when set (and not set-id), or the default. */
export function mailConfigDir(): string {
  return safeGetenv(CONF_ENV_PATH) ?? DEF_CONFIG_DIR;
}

/** Postfix: mail_conf_suck()/mail_conf_read(). Dies when main.cf cannot be read. */
export function mailConfRead(): void {
  compatLevelRelopRegister();
  const dir = process.env[CONF_ENV_PATH] ?? DEF_CONFIG_DIR;
  configDict.set(VAR_CONFIG_DIR, dir);
  const path = `${dir}/${MAIN_CONF_FILE}`;
  const err = dictLoadFile(configDict, path);
  if (err !== undefined) msg.fatal(`open ${path}: ${strerror(err)}`);
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

/** Postfix: get_mail_conf_bool(). */
export function mailConfBool(name: string): boolean {
  const value = mailConfStr(name);
  if (/^yes$/i.test(value)) return true;
  if (/^no$/i.test(value)) return false;
  return msg.fatal(`bad boolean configuration: ${name} = ${value}`);
}

function checkRange(name: string, value: number, spec: ParamSpec | undefined): void {
  if (spec === undefined) return;
  if (spec.min && value < spec.min) msg.fatal(`invalid ${name} parameter value ${value} < ${spec.min}`);
  if (spec.max && value > spec.max) msg.fatal(`invalid ${name} parameter value ${value} > ${spec.max}`);
}

/** Postfix: get_mail_conf_int() (also for long and nint parameters). */
export function mailConfInt(name: string): number {
  const value = mailConfStr(name);
  if (!/^-?[0-9]+$/.test(value)) msg.fatal(`bad numerical configuration: ${name} = ${value}`);
  const n = Number(value);
  checkRange(name, n, (MAIN_PARAMS as Record<string, ParamSpec>)[name]);
  return n;
}

const TIME_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Postfix: get_mail_conf_time(): seconds, from a number with an optional unit (s m h d w). */
export function mailConfTime(name: string): number {
  const spec = (MAIN_PARAMS as Record<string, ParamSpec>)[name];
  const value = mailConfStr(name);
  const m = /^([0-9]+)([smhdw]?)$/.exec(value);
  if (m === null) return msg.fatal(`invalid time value: ${name} = ${value}`);
  const seconds = Number(m[1]) * TIME_UNITS[m[2] || spec?.unit || 's']!;
  checkRange(name, seconds, spec);
  return seconds;
}
