/*
 * maillog_client inside a process: which mode it picks before and after main.cf is read,
 * what it exports to child processes (POSTLOG_SERVICE, POSTLOG_HOSTNAME) or removes, and
 * what msg_logger sends: one datagram per record in Postfix's format, the fallback to the
 * file when the socket is gone, and a reconnect once it is back (CONNECT_NOW).
 * Each scenario is a script run in its own process, with a socket of the test's.
 */
import test, { type ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/diff.js';
import { DIST } from '../helpers/paths.js';
import { NON_BLOCKING } from '../../src/util/poll_fd.js';
import { unixDgramListen, unixDgramRecv } from '../../src/util/unix_dgram_listen.js';

const module = (path: string) => JSON.stringify(pathToFileURL(join(DIST, 'src', `${path}.js`)).href);

const PRELUDE = `
import { msg } from ${module('util/msg')};
import { mailConfRead } from ${module('global/mail_conf')};
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from ${module('global/maillog_client')};
import { msgLoggerControl, MSG_LOGGER_CTL_CONNECT_NOW } from ${module('util/msg_logger')};
import { execFileSync } from 'node:child_process';
const childEnv = () => execFileSync('/bin/sh', ['-c', 'echo "$POSTLOG_SERVICE|$POSTLOG_HOSTNAME"'], { encoding: 'latin1' }).trim();
`;

interface Scenario {
  dir: string;
  socket: string;
  datagrams(): string[];
  run(body: string, env?: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }>;
}

function scenario(t: ExecutionContext, mainCf: (dir: string) => string): Scenario {
  const dir = tempDir(t, 'pf-maillog-client-');
  mkdirSync(join(dir, 'spool', 'public'), { recursive: true });
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'main.cf'), mainCf(dir));
  const socket = join(dir, 'spool', 'public', 'postlog');
  const sock = unixDgramListen(socket, NON_BLOCKING);
  t.teardown(() => closeSync(sock));
  return {
    dir, socket,
    datagrams() {
      const all: string[] = [];
      for (let d = unixDgramRecv(sock, 65536); d !== null; d = unixDgramRecv(sock, 65536)) all.push(d.toString('latin1'));
      return all;
    },
    run(body, env = {}) {
      const script = join(dir, `script-${Math.random().toString(36).slice(2)}.mjs`);
      writeFileSync(script, PRELUDE + body);
      return new Promise((resolve) => {
        execFile(process.execPath, [script], {
          env: { PATH: '/usr/bin:/bin', TZ: 'UTC', MAIL_CONFIG: join(dir, 'etc'), ...env }, encoding: 'latin1',
        }, (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? Number((err as { code?: number }).code ?? 1) : 0 }));
      });
    },
  };
}

const RECORD = /^[A-Z][a-z]{2} [0-3]\d [0-2]\d:[0-5]\d:[0-6]\d (\S+) (.+?)\[(\d+)\]: (.*)$/s;

test('before main.cf: POSTLOG_SERVICE selects postlogd; records in Postfix format', async (t) => {
  const s = scenario(t, () => '');
  const r = await s.run(`
maillogClientInit('test/early', MAILLOG_CLIENT_FLAG_NONE);
msg.info('an info');
msg.warn('a warning');
msg.error('an error');
msg.warn('x'.repeat(2500));
console.log(childEnv());
`, { POSTLOG_SERVICE: '', POSTLOG_HOSTNAME: '' });
  t.is(r.code, 0, r.stderr);
  t.deepEqual(s.datagrams(), [], 'an empty POSTLOG_SERVICE counts as none');

  const r2 = await s.run(`
maillogClientInit('test/early', MAILLOG_CLIENT_FLAG_NONE);
msg.info('an info');
msg.warn('a warning');
msg.error('an error');
msg.warn('x'.repeat(2500));
console.log(childEnv());
`, { POSTLOG_SERVICE: s.socket, POSTLOG_HOSTNAME: 'imported.example.test' });
  t.is(r2.code, 0, r2.stderr);
  t.is(r2.stdout.trim(), `${s.socket}|imported.example.test`);
  const records = s.datagrams().map((d) => RECORD.exec(d)!.slice(1));
  t.deepEqual(records.map(([host, tag, , text]) => [host, tag, text]), [
    ['imported', 'test/early', 'an info'],
    ['imported', 'test/early', 'warning: a warning'],
    ['imported', 'test/early', 'error: an error'],
    ['imported', 'test/early', `warning: ${'x'.repeat(2000)}`],
  ]);
  t.true(records.every(([, , pid]) => Number(pid) > 1));
});

test('after main.cf: maillog_file selects postlogd and exports its socket and host name', async (t) => {
  const s = scenario(t, (dir) => `queue_directory = ${dir}/spool\nmaillog_file = ${dir}/maillog\nmaillog_file_prefixes = ${dir}\nmyhostname = mx.example.test\n`);
  const r = await s.run(`
maillogClientInit('test/early', MAILLOG_CLIENT_FLAG_NONE);
mailConfRead();
maillogClientInit('test/late', MAILLOG_CLIENT_FLAG_NONE);
msg.info('after');
console.log(childEnv());
`, { POSTLOG_SERVICE: join(s.dir, 'stale'), POSTLOG_HOSTNAME: 'stale.example' });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), `${s.socket}|mx.example.test`);
  t.deepEqual(s.datagrams().map((d) => RECORD.exec(d)!.slice(1)).map(([host, tag, , text]) => [host, tag, text]), [
    ['mx', 'test/late', 'after'],
  ]);
});

test('after main.cf without maillog_file: syslog, and the exports are removed', async (t) => {
  const s = scenario(t, (dir) => `queue_directory = ${dir}/spool\n`);
  const r = await s.run(`
maillogClientInit('test/early', MAILLOG_CLIENT_FLAG_NONE);
msg.info('before');
mailConfRead();
maillogClientInit('test/late', MAILLOG_CLIENT_FLAG_NONE);
msg.info('after');
console.log(childEnv());
`, { POSTLOG_SERVICE: s.socket, POSTLOG_HOSTNAME: 'imported' });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), '|');
  t.deepEqual(s.datagrams().map((d) => RECORD.exec(d)![4]), ['before']);
});

test('no host name anywhere: amnesiac', async (t) => {
  const s = scenario(t, () => '');
  const r = await s.run(`
maillogClientInit('test/early', MAILLOG_CLIENT_FLAG_NONE);
msg.info('who am I');
console.log(childEnv());
`, { POSTLOG_SERVICE: s.socket });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), `${s.socket}|amnesiac`);
  t.is(RECORD.exec(s.datagrams()[0]!)![1], 'amnesiac');
});

test('fallback to maillog_file while postlogd is away, and back to postlogd', async (t) => {
  const s = scenario(t, (dir) => `queue_directory = ${dir}/spool\nmaillog_file = ${dir}/maillog\nmaillog_file_prefixes = ${dir}\nmyhostname = mx\n`);
  const moved = join(s.dir, 'moved');
  const r = await s.run(`
import { renameSync } from 'node:fs';
mailConfRead();
maillogClientInit('test/fb', MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
msg.info('to the socket');
renameSync(${JSON.stringify(s.socket)}, ${JSON.stringify(moved)});
// Still connected: the socket is the same after a rename.
msg.info('still to the socket');
msgLoggerControl(MSG_LOGGER_CTL_CONNECT_NOW);
msg.info('to the file');
renameSync(${JSON.stringify(moved)}, ${JSON.stringify(s.socket)});
// Without a socket, each record tries to connect again.
msg.info('back to the socket');
`);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(s.datagrams().map((d) => RECORD.exec(d)![4]), ['to the socket', 'still to the socket', 'back to the socket']);
  const lines = readFileSync(join(s.dir, 'maillog'), 'latin1').split('\n');
  t.deepEqual(lines.map((l) => RECORD.exec(l)?.[4] ?? l), ['to the file', '']);
  rmSync(join(s.dir, 'maillog'));
});

test('maillog_file that cannot be written: fatal in the fallback', async (t) => {
  const s = scenario(t, (dir) => `queue_directory = ${dir}/spool\nmaillog_file = ${dir}/no/such/maillog\nmaillog_file_prefixes = ${dir}\n`);
  rmSync(s.socket);
  const r = await s.run(`
import { msgVstreamInit } from ${module('util/msg')};
msgVstreamInit('test/fb', 2);
mailConfRead();
maillogClientInit('test/fb', MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
msg.info('nowhere to go');
`);
  t.is(r.code, 1);
  t.is(r.stderr, `test/fb: nowhere to go\ntest/fb: fatal: open logfile '${s.dir}/no/such/maillog': cannot create file exclusively: No such file or directory\n`);
});
