/*
 * instance_layout - the files of a private Postfix instance for tests: a temp directory
 * (mode 0755, so that the postfix user reaches the queue) with etc/, data/ (postfix, 0700)
 * and spool/ holding the queue directories as Postfix makes them; a main.cf that points
 * at the reference commands and daemons, stays on loopback and logs to <dir>/maillog; and
 * the master.cf lines of the stock services with chroot off. The instance helpers
 * (ref_instance, ref_proxymap, ref_mixed, log_instance, master/_instance) build on it.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { tempDir } from './diff.js';
import { REFERENCE_ROOT, REF_COMMAND_DIR, REF_DAEMON_DIR } from './paths.js';
import { createQueueDirectories } from '../../src/global/mail_queue.js';
import { getgrnam, getpwnam } from '../../src/util/pwd.js';

export interface InstanceLayout {
  dir: string;
  /** The configuration directory (main.cf and master.cf go here). */
  config: string;
  /** queue_directory. */
  spool: string;
  /** data_directory. */
  data: string;
  /** The default maillog_file. */
  maillog: string;
  /** The postfix user: mail_owner. */
  owner: { uid: number; gid: number };
}

/**
 * Make the directories of an instance: in a new temp directory (named after prefix), or in
 * dir when given; an existing queue there is kept.
 */
export function makeInstanceLayout(t: ExecutionContext, prefix: string, dir?: string): InstanceLayout {
  const top = dir ?? tempDir(t, prefix);
  chmodSync(top, 0o755); // the postfix user must reach the queue
  const layout: InstanceLayout = {
    dir: top, config: join(top, 'etc'), spool: join(top, 'spool'), data: join(top, 'data'), maillog: join(top, 'maillog'),
    owner: getpwnam('postfix')!,
  };
  mkdirSync(layout.config, { recursive: true });
  mkdirSync(layout.data, { recursive: true });
  chownSync(layout.data, layout.owner.uid, layout.owner.gid);
  chmodSync(layout.data, 0o700);
  if (!existsSync(layout.spool)) {
    createQueueDirectories(layout.spool, { ownerUid: layout.owner.uid, ownerGid: layout.owner.gid, setgidGid: getgrnam('postdrop')! });
  }
  return layout;
}

export interface MainCfOptions {
  /** daemon_directory: the reference daemons unless given. */
  daemonDir?: string;
  /** maillog_file: <dir>/maillog unless given; null for none (the instance logs to syslog). */
  maillog?: string | null;
}

/** For instances that deliver nothing locally: no local domains, no alias database. */
export const NO_LOCAL_DELIVERY = ['mydestination =', 'alias_maps ='] as const;

/**
 * The main.cf lines of an instance: the base settings, then the extra lines (an entry may
 * hold several), which replace base settings of the same name (so that no "overriding
 * earlier entry" warnings appear).
 */
export function instanceMainCf(layout: InstanceLayout, extra: readonly string[] = [], opts: MainCfOptions = {}): string[] {
  const maillog = opts.maillog === undefined ? layout.maillog : opts.maillog;
  const base = [
    'compatibility_level = 3.6',
    `queue_directory = ${layout.spool}`,
    `command_directory = ${REF_COMMAND_DIR}`,
    `daemon_directory = ${opts.daemonDir ?? REF_DAEMON_DIR}`,
    `shlib_directory = ${join(REFERENCE_ROOT, 'usr/lib/postfix')}`,
    `meta_directory = ${join(REFERENCE_ROOT, 'etc/postfix')}`,
    `data_directory = ${layout.data}`,
    'mail_owner = postfix', 'setgid_group = postdrop',
    'myhostname = mail.example.test', 'mydomain = example.test',
    'inet_interfaces = loopback-only', 'inet_protocols = ipv4', 'mynetworks = 127.0.0.0/8',
    // Without a log that works, master dies silently (there is no /dev/log here).
    ...(maillog === null ? [] : [`maillog_file = ${maillog}`]),
    // The default prefixes (/var, /dev/stdout) do not allow a log in the temp directory.
    ...(maillog !== null && maillog.startsWith(`${layout.dir}/`) ? [`maillog_file_prefixes = ${layout.dir}/`] : []),
  ];
  const lines = extra.flatMap((e) => e.split('\n'));
  const named = (line: string) => line.split('=')[0]!.trim();
  return [...base.filter((line) => !lines.some((e) => named(e) === named(line))), ...lines];
}

/** master.cf lines of the stock services, chroot off everywhere. */
export const MASTER_CF_SERVICES = {
  pickup: 'pickup    unix  n       -       n       60      1       pickup',
  cleanup: 'cleanup   unix  n       -       n       -       0       cleanup',
  qmgr: 'qmgr      unix  n       -       n       300     1       qmgr',
  rewrite: 'rewrite   unix  -       -       n       -       -       trivial-rewrite',
  bounce: 'bounce    unix  -       -       n       -       0       bounce',
  defer: 'defer     unix  -       -       n       -       0       bounce',
  trace: 'trace     unix  -       -       n       -       0       bounce',
  flush: 'flush     unix  n       -       n       1000?   0       flush',
  showq: 'showq     unix  n       -       n       -       -       showq',
  error: 'error     unix  -       -       n       -       -       error',
  retry: 'retry     unix  -       -       n       -       -       error',
  discard: 'discard   unix  -       -       n       -       -       discard',
  local: 'local     unix  -       n       n       -       -       local',
  proxymap: 'proxymap  unix  -       -       n       -       -       proxymap',
  proxywrite: 'proxywrite unix -       -       n       -       1       proxymap',
  postlog: 'postlog   unix-dgram n  -       n       -       1       postlogd',
} as const;

export type StockService = keyof typeof MASTER_CF_SERVICES;

/** The master.cf lines of the named stock services, in that order. */
export function masterCfLines(...names: StockService[]): string[] {
  return names.map((name) => MASTER_CF_SERVICES[name]);
}

/** Write the instance's main.cf and master.cf. */
export function writeInstanceConfig(layout: InstanceLayout, mainCf: readonly string[], masterCf: readonly string[]): void {
  writeFileSync(join(layout.config, 'main.cf'), [...mainCf, ''].join('\n'));
  writeFileSync(join(layout.config, 'master.cf'), [...masterCf, ''].join('\n'));
}
