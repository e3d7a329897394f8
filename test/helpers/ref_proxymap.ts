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
import { instanceMainCf, makeInstanceLayout, masterCfLines, NO_LOCAL_DELIVERY, writeInstanceConfig } from './instance_layout.js';
import { REF_DAEMON_DIR } from './paths.js';

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
  const layout = makeInstanceLayout(t, 'pf-proxymap-');
  const { dir, config, spool, maillog, owner } = layout;
  const tables = join(dir, 'tables');
  mkdirSync(tables);
  chmodSync(tables, 0o755); // the postfix user must reach the tables
  chownSync(tables, owner.uid, owner.gid); // proxywrite may create lock and table files
  writeInstanceConfig(layout, instanceMainCf(layout, [...NO_LOCAL_DELIVERY, mainCf(tables)]),
    masterCfLines('proxymap', 'proxywrite', 'postlog'));
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
