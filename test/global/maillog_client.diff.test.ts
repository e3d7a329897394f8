/*
 * maillog_client, seen through postsuper (which may write maillog_file itself when postlogd
 * is down) and postmap (which may not), ours against the reference under the same main.cf:
 * the same output and exit status, and the same records in syslog, in maillog_file, or on
 * the postlog socket, apart from time stamps and pids. Also the maillog_file_prefixes check.
 */
import test, { type ExecutionContext } from 'ava';
import { chmodSync, chownSync, closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference, tempDir, type RunResult } from '../helpers/diff.js';
import { DevLog } from '../helpers/devlog.js';
import { maskRecord, oldConfig, readMaskedLog, removeLog } from '../helpers/maillog.js';
import { ourCommand, referenceCommand } from '../helpers/paths.js';
import { createQueueDirectories } from '../../src/global/mail_queue.js';
import { NON_BLOCKING } from '../../src/util/poll_fd.js';
import { getgrnam, getpwnam } from '../../src/util/pwd.js';
import { unixDgramListen, unixDgramRecv } from '../../src/util/unix_dgram_listen.js';

interface Tree {
  dir: string;
  spool: string;
  logDir: string; // writable by the mail owner: postsuper writes as postfix
  config: (settings: Record<string, string>) => string;
}

function tree(t: ExecutionContext): Tree {
  const dir = tempDir(t, 'pf-maillog-');
  chmodSync(dir, 0o755);
  const owner = getpwnam('postfix')!;
  const spool = join(dir, 'spool');
  createQueueDirectories(spool, { ownerUid: owner.uid, ownerGid: owner.gid, setgidGid: getgrnam('postdrop')! });
  const logDir = join(dir, 'log');
  mkdirSync(logDir);
  chownSync(logDir, owner.uid, owner.gid);
  return {
    dir, spool, logDir,
    config: (settings) => oldConfig(t, {
      'main.cf': Object.entries({ queue_directory: spool, myhostname: 'mx.example.test', ...settings })
        .map(([name, value]) => `${name} = ${value}\n`).join(''),
    }),
  };
}

/* Commands that log: an info record and fatal errors, before and after main.cf is read. */
const COMMANDS: Array<[string, (config: string) => string[], boolean]> = [
  ['postsuper', (c) => ['-c', c, '-d', 'ABCDEF'], true],
  ['postsuper', (c) => ['-c', c, 'bogus'], true],
  ['postsuper', () => ['-Z'], true],
  ['postmap', (c) => ['-c', c, '-q', 'key', 'bogus:table'], true],
  ['postmap', (c) => ['-c', c, '-q', 'key', 'inline:{key=value}'], false],
];

async function sequential<L>(run: (side: 'ours' | 'ref') => Promise<RunResult>, collect: () => L): Promise<[RunResult, RunResult, L, L]> {
  const ref = await run('ref');
  const refLog = collect();
  const ours = await run('ours');
  const oursLog = collect();
  return [ours, ref, oursLog, refLog];
}

test('maillog_file with postlogd down: postsuper writes the file, postmap does not', async (t) => {
  if (!requireRoot(t)) return;
  const tr = tree(t);
  const log = join(tr.logDir, 'maillog');
  const config = tr.config({ maillog_file: log, maillog_file_prefixes: tr.dir });
  for (const [name, args] of COMMANDS) {
    const [ours, ref, oursLog, refLog] = await sequential((side) => {
      removeLog(log);
      return (side === 'ours' ? runOurs : runReference)(name, args(config));
    }, () => readMaskedLog(log));
    t.deepEqual(ours, ref, `${name} ${args(config).join(' ')}`);
    t.deepEqual(oursLog, refLog, `${name} ${args(config).join(' ')}`);
  }
});

test('maillog_file outside maillog_file_prefixes is fatal', async (t) => {
  if (!requireRoot(t)) return;
  const tr = tree(t);
  const config = tr.config({ maillog_file: join(tr.logDir, 'maillog'), maillog_file_prefixes: '/var, /dev/stdout' });
  for (const [name, args] of COMMANDS) {
    const [ours, ref] = await Promise.all([runOurs(name, args(config)), runReference(name, args(config))]);
    t.deepEqual(ours, ref, `${name} ${args(config).join(' ')}`);
  }
});

test('maillog_file with a postlogd socket, and POSTLOG_SERVICE before main.cf is read', async (t) => {
  if (!requireRoot(t)) return;
  const tr = tree(t);
  const path = join(tr.spool, 'public', 'postlog');
  const sock = unixDgramListen(path, NON_BLOCKING);
  t.teardown(() => closeSync(sock));
  const datagrams = () => {
    const all: string[] = [];
    for (let d = unixDgramRecv(sock, 65536); d !== null; d = unixDgramRecv(sock, 65536)) all.push(maskRecord(d.toString('latin1')));
    return all;
  };
  const config = tr.config({ maillog_file: join(tr.logDir, 'maillog'), maillog_file_prefixes: tr.dir });
  const env = { POSTLOG_SERVICE: path, POSTLOG_HOSTNAME: 'imported.example' };
  for (const [name, args, logs] of COMMANDS) {
    const [ours, ref, oursLog, refLog] = await sequential(
      (side) => (side === 'ours' ? runOurs : runReference)(name, args(config), { env }), datagrams);
    t.deepEqual(ours, ref, `${name} ${args(config).join(' ')}`);
    t.deepEqual(oursLog, refLog, `${name} ${args(config).join(' ')}`);
    t.is(refLog.length > 0, logs, `${name} ${args(config).join(' ')}: the reference logged`);
  }
});

test('syslog: postsuper and postmap records', async (t) => {
  if (!requireRoot(t)) return;
  const tr = tree(t);
  const config = tr.config({ syslog_name: 'mail-ts', syslog_facility: 'local1' });
  const devlog = new DevLog(t);
  for (const [name, args, logs] of COMMANDS) {
    const [ours, ref, oursLog, refLog] = await sequential(
      (side) => devlog.run(side === 'ours' ? ourCommand(name) : referenceCommand(name), args(config)),
      () => devlog.records().map(({ pid: _pid, ...rest }) => rest));
    t.deepEqual(ours, ref, `${name} ${args(config).join(' ')}`);
    t.deepEqual(oursLog, refLog, `${name} ${args(config).join(' ')}`);
    t.is(refLog.length > 0, logs, `${name} ${args(config).join(' ')}: the reference logged`);
  }
});
