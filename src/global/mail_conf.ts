/*
 * mail_conf - find and read main.cf.
 * Counterpart: postfix/src/global/mail_conf.c (mail_conf_read, mail_conf_eval).
 * XXX Foundation version: parses main.cf into name/value pairs and expands $name from
 * main.cf and a few built-in defaults. The configuration issue replaces the defaults with
 * the full parameter table (src/global/mail_params.ts) and Postfix's complete syntax.
 */
import { readFileSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { safeGetenv } from '../util/safe.js';

export const DEF_CONFIG_DIR = '/etc/postfix';
export const CONF_ENV_PATH = 'MAIL_CONFIG';
export const CONF_ENV_VERB = 'MAIL_VERBOSE';
export const CONF_ENV_DEBUG = 'MAIL_DEBUG';
export const CONF_ENV_LOGTAG = 'MAIL_LOGTAG';

const BUILTIN_DEFAULTS: Record<string, string> = {
  config_directory: DEF_CONFIG_DIR,
  queue_directory: '/var/spool/postfix',
  command_directory: '/usr/sbin',
  daemon_directory: '/usr/libexec/postfix',
  data_directory: '/var/lib/postfix',
  mail_owner: 'postfix',
  setgid_group: 'postdrop',
  syslog_name: '${multi_instance_name?{$multi_instance_name}:{postfix}}',
};

const conf = new Map<string, string>();

/** The configuration directory: MAIL_CONFIG when set (and not set-id), or the default. */
export function mailConfigDir(): string {
  return safeGetenv(CONF_ENV_PATH) ?? DEF_CONFIG_DIR;
}

/** Postfix: mail_conf_read(). Dies when main.cf cannot be read. */
export function mailConfRead(): void {
  const dir = mailConfigDir();
  const path = `${dir}/main.cf`;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    msg.fatal(`open ${path}: ${strerror(err)}`);
  }
  conf.clear();
  conf.set('config_directory', dir);
  let lineno = 0;
  let start = 0;
  let logical: string | undefined;
  const finish = () => {
    if (logical === undefined) return;
    const eq = logical.indexOf('=');
    if (eq < 0) msg.fatal(`${path}, line ${start}: missing '=' after attribute name: "${logical.trim()}"`);
    conf.set(logical.slice(0, eq).trim(), logical.slice(eq + 1).trim());
    logical = undefined;
  };
  for (const line of text.split('\n')) {
    lineno++;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed !== line && logical !== undefined) {
      logical += ' ' + trimmed;
      continue;
    }
    finish();
    logical = line;
    start = lineno;
  }
  finish();
}

/** A parameter's value, with $name, ${name} and ${name?text}/${name:text} expanded. */
export function mailConfStr(name: string): string {
  return expand(conf.get(name) ?? BUILTIN_DEFAULTS[name] ?? '', 0);
}

function lookup(name: string, depth: number): string | undefined {
  const raw = conf.get(name) ?? BUILTIN_DEFAULTS[name];
  return raw === undefined ? undefined : expand(raw, depth + 1);
}

function expand(value: string, depth: number): string {
  if (depth > 100) msg.fatal(`unreasonable macro call nesting: "${value}"`);
  return value.replace(/\$(?:\{(\w+)(?:([?:])\{?([^}]*)\}?)?\}|\((\w+)\)|(\w+))/g,
    (_all, braced?: string, op?: string, text?: string, paren?: string, bare?: string) => {
      const name = braced ?? paren ?? bare!;
      const val = lookup(name, depth);
      if (op === '?') return val ? expand(text ?? '', depth + 1) : '';
      if (op === ':') return val ? '' : expand(text ?? '', depth + 1);
      return val ?? '';
    });
}
