/*
 * ref_proxymap - a private reference Postfix that runs only proxymap, proxywrite and
 * postlogd, for testing proxy: table clients against the real server. main.cf gets the
 * caller's proxy_read_maps/proxy_write_maps lines; table files go into a directory that
 * the postfix user can read (and, for proxywrite, write). The test stops the instance.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { tempDir } from './diff.js';
import { REFERENCE_ROOT, REF_COMMAND_DIR, REF_DAEMON_DIR } from './paths.js';
import { createQueueDirectories } from '../../src/global/mail_queue.js';
import { getgrnam, getpwnam } from '../../src/util/pwd.js';

export interface ProxymapInstance {
  /** The configuration directory: clients run with "-c config". */
  config: string;
  spool: string;
  /** Where table files go (readable by the postfix user). */
  tables: string;
  /** Write a table file; owned by postfix when the server must write it. */
  file(name: string, content: string, writable?: boolean): string;
  /** The instance's log so far. */
  log(): string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isGone(pid: number): boolean {
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return true;
  }
}

/** Start the instance; mainCf is added to main.cf (the table directory is "TABLES"). */
export async function startProxymapInstance(t: ExecutionContext, mainCf: (tables: string) => string): Promise<ProxymapInstance> {
  const dir = tempDir(t, 'pf-proxymap-');
  chmodSync(dir, 0o755); // the postfix user must reach the queue and the tables
  const config = join(dir, 'etc');
  const spool = join(dir, 'spool');
  const data = join(dir, 'data');
  const tables = join(dir, 'tables');
  const maillog = join(dir, 'maillog');
  for (const sub of [config, data, tables]) mkdirSync(sub);
  const owner = getpwnam('postfix')!;
  chownSync(data, owner.uid, owner.gid);
  chmodSync(data, 0o700);
  chmodSync(tables, 0o755);
  chownSync(tables, owner.uid, owner.gid); // proxywrite may create lock and table files
  createQueueDirectories(spool, { ownerUid: owner.uid, ownerGid: owner.gid, setgidGid: getgrnam('postdrop')! });
  writeFileSync(join(config, 'main.cf'), [
    'compatibility_level = 3.6',
    `queue_directory = ${spool}`,
    `command_directory = ${REF_COMMAND_DIR}`,
    `daemon_directory = ${REF_DAEMON_DIR}`,
    `shlib_directory = ${join(REFERENCE_ROOT, 'usr/lib/postfix')}`,
    `meta_directory = ${join(REFERENCE_ROOT, 'etc/postfix')}`,
    `data_directory = ${data}`,
    'mail_owner = postfix', 'setgid_group = postdrop',
    'myhostname = mail.example.test', 'mydestination =', 'alias_maps =',
    'inet_interfaces = loopback-only', 'inet_protocols = ipv4', 'mynetworks = 127.0.0.0/8',
    // Without a log that works, master dies silently (there is no /dev/log here).
    `maillog_file = ${maillog}`, `maillog_file_prefixes = ${dir}/`,
    mainCf(tables),
    '',
  ].join('\n'));
  writeFileSync(join(config, 'master.cf'), [
    'proxymap  unix  -       -       n       -       -       proxymap',
    'proxywrite unix -       -       n       -       1       proxymap',
    'postlog   unix-dgram n  -       n       -       1       postlogd',
    '',
  ].join('\n'));
  const master = spawn(join(REF_DAEMON_DIR, 'master'), ['-c', config, '-d'], { detached: true, stdio: 'ignore' });
  master.unref();
  t.teardown(async () => {
    if (master.pid === undefined) return;
    try {
      process.kill(-master.pid, 'SIGTERM'); // master and the servers it started
    } catch {
      return; // already gone
    }
    for (let i = 0; i < 100 && !isGone(master.pid); i++) await sleep(100);
  });
  const log = () => {
    try {
      return readFileSync(maillog, 'latin1');
    } catch {
      return '(no log)';
    }
  };
  const socket = join(spool, 'private', 'proxywrite');
  for (let i = 0; i < 200 && !existsSync(socket); i++) await sleep(100);
  if (!existsSync(socket)) throw new Error(`reference master did not start: ${log()}`);
  return {
    config,
    spool,
    tables,
    file(name, content, writable = false) {
      const path = join(tables, name);
      writeFileSync(path, content, 'latin1');
      if (writable) chownSync(path, owner.uid, owner.gid);
      return path;
    },
    log,
  };
}
