/*
 * postlog, ours against the reference, under the same main.cf: the same stdout, stderr
 * (plain, and with a terminal) and exit status, and the same records, apart from time
 * stamps and pids, in each place Postfix logs to: maillog_file written directly (no
 * postlogd running), datagrams to the postlog socket (with main.cf, or with only
 * POSTLOG_SERVICE in the environment), and syslog (/dev/log of a private mount namespace).
 */
import test, { type ExecutionContext } from 'ava';
import { chmodSync, closeSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference, shellQuote, tempDir, type RunOptions, type RunResult } from '../helpers/diff.js';
import { DevLog } from '../helpers/devlog.js';
import { maskRecord, oldConfig, readMaskedLog, removeLog } from '../helpers/maillog.js';
import { ourCommand, referenceCommand } from '../helpers/paths.js';
import { NON_BLOCKING } from '../../src/util/poll_fd.js';
import { unixDgramListen, unixDgramRecv } from '../../src/util/unix_dgram_listen.js';

interface Case {
  args: string[];
  opts?: RunOptions;
}

/* Every option, both sources of text, each severity name, and the errors before main.cf. */
const CASES: Case[] = [
  { args: ['hello', 'world'] },
  { args: ['-i', '-p', 'warn', '-t', 'my\ttag', 'tab', ' in', 'tag '] },
  { args: ['-p', 'ERR'], opts: { input: 'first\nsecond\0hidden\n\nlast without newline' } },
  { args: ['-p', 'Warning', '-t', 'x[y'], opts: { input: '' } },
  { args: ['-pinfo', '-terror', '--', '-p', 'is text'] },
  { args: ['-p', 'crit', 'critical'] },
  { args: ['-p', 'panic', 'panicky'] },
  { args: ['-p', 'error', '-p', 'fatal', 'last -p wins'] },
  { args: ['-p', 'bogus', 'text'] },
  { args: ['-Z', 'text'] },
  { args: ['-p'] },
  { args: ['high bytes: \xe9\x80\x01\x7f'] },
  { args: ['x'.repeat(2100)] },
];

function label(c: Case): string {
  return JSON.stringify(c.args).slice(0, 60);
}

/** Run the reference, then ours, each followed by a look at what it logged. */
async function bothSequential<L>(run: (side: 'ours' | 'ref') => Promise<RunResult>, collect: () => L): Promise<{ ours: RunResult; ref: RunResult; oursLog: L; refLog: L }> {
  const ref = await run('ref');
  const refLog = collect();
  const ours = await run('ours');
  const oursLog = collect();
  return { ours, ref, oursLog, refLog };
}

function mainCf(settings: Record<string, string>): string {
  return Object.entries(settings).map(([name, value]) => `${name} = ${value}\n`).join('');
}

function maillogSetup(t: ExecutionContext, overrides: (dir: string) => Record<string, string> = () => ({})): { dir: string; config: string; log: string } {
  const dir = tempDir(t, 'pf-postlog-');
  const log = join(dir, 'maillog');
  const config = oldConfig(t, {
    'main.cf': mainCf({
      maillog_file: log, maillog_file_prefixes: dir, queue_directory: join(dir, 'spool'), myhostname: 'host.example.test',
      ...overrides(dir),
    }),
  });
  return { dir, config, log };
}

for (const c of CASES) {
  test(`maillog_file, postlogd down: ${label(c)}`, async (t) => {
    if (!requireRoot(t)) return;
    const { config, log } = maillogSetup(t);
    const run = (side: 'ours' | 'ref') => {
      removeLog(log);
      return (side === 'ours' ? runOurs : runReference)('postlog', ['-c', config, ...c.args], c.opts);
    };
    const r = await bothSequential(run, () => readMaskedLog(log));
    t.deepEqual(r.ours, r.ref);
    t.deepEqual(r.oursLog, r.refLog);
    t.true(r.ref.status !== 0 || c.opts?.input === '' || r.refLog.length > 0, 'the reference logged');
  });
}

for (const c of CASES.filter((x) => x.opts?.input === undefined)) {
  test(`maillog_file, with a terminal: ${label(c)}`, async (t) => {
    if (!requireRoot(t)) return;
    const { config, log } = maillogSetup(t);
    const run = (side: 'ours' | 'ref') => {
      removeLog(log);
      return (side === 'ours' ? runOurs : runReference)('postlog', ['-c', config, ...c.args], { tty: true });
    };
    const r = await bothSequential(run, () => readMaskedLog(log));
    t.deepEqual(r.ours, r.ref);
    t.deepEqual(r.oursLog, r.refLog);
  });
}

test('maillog_file: the file is created mode 0644 and appended to', async (t) => {
  if (!requireRoot(t)) return;
  const { config, log } = maillogSetup(t);
  const modes: number[] = [];
  const run = async (side: 'ours' | 'ref') => {
    removeLog(log);
    const cmd = side === 'ours' ? runOurs : runReference;
    const first = await cmd('postlog', ['-c', config, 'one']);
    modes.push(statSync(log).mode);
    await cmd('postlog', ['-c', config, 'two']);
    return first;
  };
  const r = await bothSequential(run, () => readMaskedLog(log));
  t.deepEqual(r.ours, r.ref);
  t.deepEqual(r.oursLog, r.refLog);
  t.is(r.refLog.length, 2);
  t.deepEqual(modes, [0o100644, 0o100644]);
});

/* Trouble with maillog_file itself, shown on a terminal (there is no syslog to see it). */
const FILE_TROUBLE: Array<[string, (dir: string) => Record<string, string>]> = [
  ['a prefix that does not match', () => ({ maillog_file_prefixes: '/var, /dev/stdout' })],
  ['a directory that does not exist', (dir) => ({ maillog_file: `${dir}/no/such/maillog` })],
  ['a symbolic link', (dir) => ({ maillog_file: `${dir}/link` })],
  ['a directory', (dir) => ({ maillog_file: `${dir}/spool` })],
];

for (const [what, overrides] of FILE_TROUBLE) {
  test(`maillog_file: ${what}`, async (t) => {
    if (!requireRoot(t)) return;
    const { dir, config } = maillogSetup(t, overrides);
    mkdirSync(join(dir, 'spool'));
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    const ref = await runReference('postlog', ['-c', config, 'text'], { tty: true });
    const ours = await runOurs('postlog', ['-c', config, 'text'], { tty: true });
    t.deepEqual(ours, ref);
    t.not(ref.status, 0);
  });
}

/** A postlogd stand-in: the socket at $queue_directory/public/postlog, read by the test. */
function postlogSocket(t: ExecutionContext, dir: string): { path: string; datagrams: () => string[] } {
  const publicDir = join(dir, 'spool', 'public');
  mkdirSync(publicDir, { recursive: true });
  chmodSync(join(dir, 'spool'), 0o755);
  const path = join(publicDir, 'postlog');
  const sock = unixDgramListen(path, NON_BLOCKING);
  t.teardown(() => closeSync(sock));
  return {
    path,
    datagrams: () => {
      const all: string[] = [];
      for (let d = unixDgramRecv(sock, 65536); d !== null; d = unixDgramRecv(sock, 65536)) all.push(maskRecord(d.toString('latin1')));
      return all;
    },
  };
}

for (const c of CASES) {
  test(`postlogd socket: ${label(c)}`, async (t) => {
    if (!requireRoot(t)) return;
    const { dir, config, log } = maillogSetup(t);
    const sock = postlogSocket(t, dir);
    const run = (side: 'ours' | 'ref') => (side === 'ours' ? runOurs : runReference)('postlog', ['-c', config, ...c.args], c.opts);
    const r = await bothSequential(run, sock.datagrams);
    t.deepEqual(r.ours, r.ref);
    t.deepEqual(r.oursLog, r.refLog);
    t.true(r.ref.status !== 0 || c.opts?.input === '' || r.refLog.length > 0, 'the reference logged');
    t.deepEqual(readMaskedLog(log), [], 'nothing written directly while postlogd listens');
  });
}

test('postlogd socket from the environment only: errors before main.cf is read', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, config } = maillogSetup(t);
  const sock = postlogSocket(t, dir);
  for (const args of [['-p', 'bogus'], ['-Z'], ['-c', join(dir, 'nonexistent'), 'text']]) {
    const opts = { env: { POSTLOG_SERVICE: sock.path, POSTLOG_HOSTNAME: 'imported.example.test', MAIL_CONFIG: config } };
    const r = await bothSequential((side) => (side === 'ours' ? runOurs : runReference)('postlog', args, opts), sock.datagrams);
    t.deepEqual(r.ours, r.ref, args.join(' '));
    t.deepEqual(r.oursLog, r.refLog, args.join(' '));
    t.true(r.refLog.length > 0 && r.refLog.every((l) => l.startsWith('TIME imported postfix/postlog[PID]: ')), args.join(' '));
  }
});

test('postlogd socket in the environment, but main.cf logs to syslog', async (t) => {
  if (!requireRoot(t)) return;
  const dir = tempDir(t, 'pf-postlog-');
  const sock = postlogSocket(t, dir);
  const config = oldConfig(t, { 'main.cf': `queue_directory = ${dir}/spool\n` });
  const devlog = new DevLog(t);
  const env = { POSTLOG_SERVICE: sock.path, POSTLOG_HOSTNAME: 'imported' };
  const run = (side: 'ours' | 'ref') => devlog.run(side === 'ours' ? ourCommand('postlog') : referenceCommand('postlog'), ['-c', config, '-p', 'warn', 'to syslog'], env);
  const r = await bothSequential(run, () => ({ sock: sock.datagrams(), syslog: devlog.records().map(({ pid: _pid, ...rest }) => rest) }));
  t.deepEqual(r.ours, r.ref);
  t.deepEqual(r.oursLog, r.refLog);
  t.deepEqual(r.refLog.sock, []);
  t.is(r.refLog.syslog.length, 1);
});

/* Syslog: the same records with the same priorities; standard input through a shell. */
const SYSLOG_CONFIGS: Array<[string, string, Case[]]> = [
  ['defaults', '', CASES],
  ['syslog_facility = local3, syslog_name = other', 'syslog_facility = local3\nsyslog_name = other\n', CASES.slice(0, 4)],
  ['a bad syslog_facility', 'syslog_facility = nonsense\n', CASES.slice(0, 1)],
];

for (const [what, mainCf, cases] of SYSLOG_CONFIGS) {
  test(`syslog, ${what}`, async (t) => {
    if (!requireRoot(t)) return;
    const config = oldConfig(t, { 'main.cf': mainCf });
    const devlog = new DevLog(t);
    const inputFile = join(tempDir(t), 'input');
    for (const c of cases) {
      const input = c.opts?.input;
      if (input !== undefined) writeFileSync(inputFile, input, 'latin1');
      const run = (side: 'ours' | 'ref') => {
        const path = side === 'ours' ? ourCommand('postlog') : referenceCommand('postlog');
        const args = ['-c', config, ...c.args];
        if (input === undefined) return devlog.run(path, args);
        return devlog.run('/bin/sh', ['-c', `exec "$0" "$@" < ${shellQuote(inputFile)}`, path, ...args]);
      };
      const r = await bothSequential(run, () => devlog.records().map(({ pid: _pid, ...rest }) => rest));
      t.deepEqual(r.ours, r.ref, label(c));
      t.deepEqual(r.oursLog, r.refLog, label(c));
      t.true(r.refLog.length > 0 || input === '', label(c));
    }
  });
}
