/*
 * single_server under a fake master: one client per service call on unix, inet and pass
 * sockets, TAKEN/AVAIL around each, hooks in order, max_use and max_idle retirement,
 * master disconnect, the accept lock, the watchdog, and the stand-alone -S mode.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectTo, FakeMaster, fileLines, readLines, requestLine, skeletonConfig, waitFor, type Transport } from '../helpers/fake_master.js';
import { DIST } from '../helpers/paths.js';
import { unixSendFdAsync } from '../../src/util/unix_send_fd.js';
import { duplexPipe } from '../../src/util/duplex_pipe.js';
import { attrPrint0 } from '../../src/util/attr_print0.js';
import { ATTR_FLAG_NONE, sendAttrHash } from '../../src/util/attr.js';
import { AsyncVStream } from '../../src/util/vstream_async.js';
import { Socket } from 'node:net';

const DAEMON = join(DIST, 'test/master/skeleton_daemon.js');

function start(t: ExecutionContext, transport: Transport, args: string[], env: Record<string, string> = {}, shareWith?: FakeMaster) {
  const m = new FakeMaster(t, {
    program: DAEMON, argv0: 'skeltest', transport, service: 'svc', shareWith,
    args: ['-n', 'svc', ...args], env: { SKEL_KIND: 'single', ...env },
  });
  return { m, out: join(m.dir, 'out') };
}

test('unix: one client per call, TAKEN then AVAIL, hooks in order', async (t) => {
  const { m, out } = start(t, 'unix', ['-l', 'a1', 'a2'], { SKEL_HOOKS: '1' });
  t.true(await waitFor(() => existsSync(m.endpoint)));
  t.is(await requestLine(m.endpoint, 'hello'), 'single svc [a1,a2] hello\n', m.stderr);
  t.is(await requestLine(m.endpoint, 'again'), 'single svc [a1,a2] again\n', m.stderr);
  t.true(await m.waitStatuses(4));
  t.deepEqual(m.avail, [0, 1, 0, 1]);
  t.true(m.statuses.every((s) => s.pid === m.child.pid && s.gen === 0o17));
  t.deepEqual(fileLines(out), [
    `preInit svc a1,a2 cwd=${m.spool}`,
    `postInit svc uid=0`,
    'preAccept svc',
    'single svc [a1,a2] hello',
    'preAccept svc',
    'single svc [a1,a2] again',
  ]);
  m.disconnect();
  t.true(await m.waitExit(), 'master disconnect ends the process');
  t.deepEqual(m.exit, { code: 0, signal: null });
  t.is(fileLines(out).pop(), 'exit svc');
});

test('inet: clients on a TCP listen socket', async (t) => {
  const { m } = start(t, 'inet', ['-l']);
  t.is(await requestLine(m.endpoint, 'tcp'), 'single svc [] tcp\n', m.stderr);
  t.true(await m.waitStatuses(2));
  t.deepEqual(m.avail, [0, 1]);
});

test('pass: the client descriptor and its attributes arrive through the socket', async (t) => {
  const { m } = start(t, 'pass', ['-l']);
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const [ours, theirs] = duplexPipe();
  const carrier = await connectTo(m.endpoint);
  await unixSendFdAsync(carrier, theirs);
  const stream = new AsyncVStream(carrier, carrier, { path: 'carrier' });
  attrPrint0(stream, ATTR_FLAG_NONE, [sendAttrHash([['client_address', '192.0.2.1'], ['client_port', '25']])]);
  t.true(await stream.flush());
  const client = new Socket({ fd: ours, readable: true, writable: true });
  const reply = readLines(client, 1);
  client.write('passed\n');
  t.is(await reply, 'single svc [] {client_address=192.0.2.1,client_port=25} passed\n', m.stderr);
  client.destroy();
  carrier.destroy();
});

test('max_use: the process exits after that many clients', async (t) => {
  const { m } = start(t, 'unix', ['-l', '-m', '2']);
  t.true(await waitFor(() => existsSync(m.endpoint)));
  await requestLine(m.endpoint, 'one');
  await requestLine(m.endpoint, 'two');
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
  t.deepEqual(m.avail, [0, 1, 0, 1]);
});

test('max_idle: the process exits after that long without clients', async (t) => {
  const { m } = start(t, 'unix', ['-l', '-i', '1', '-V', '-v']);
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
  // "daemon started" goes out before -V is seen: only to the log. Before the generation
  // line come main.cf's verbose checks (mynetworks), as in Postfix's mail_params_init().
  t.regex(m.stderr, /^postfix\/skeltest: process generation: 17 \(17\)$/m);
  t.notRegex(m.stderr, /daemon started/);
  t.regex(m.stderr, /postfix\/skeltest: idle timeout -- exiting\n$/);
  t.deepEqual(m.avail, []);
});

test('master disconnect is noticed while idle (verbose logs it)', async (t) => {
  const { m } = start(t, 'unix', ['-l', '-V', '-v']);
  t.true(await waitFor(() => m.stderr.includes('process generation')));
  m.disconnect();
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
  t.regex(m.stderr, /postfix\/skeltest: master disconnect -- exiting\n$/);
});

test('-r: the retirement timer of MAIL_SERVER_RETIRE_ME is not armed without it', async (t) => {
  // The skeleton daemon does not ask for retirement: -r is accepted and has no effect.
  const { m } = start(t, 'unix', ['-l', '-r', '1']);
  t.true(await waitFor(() => existsSync(m.endpoint)));
  t.false(await m.waitExit(2500));
  t.is(await requestLine(m.endpoint, 'still'), 'single svc [] still\n');
});

test('two processes take turns through the lock file pid/unix.<service>', async (t) => {
  const { m, out } = start(t, 'unix', [], { SKEL_SLEEP_MS: '300' });
  const { m: m2 } = start(t, 'unix', [], { SKEL_SLEEP_MS: '300' }, m);
  t.true(await waitFor(() => existsSync(join(m.spool, 'pid', 'unix.svc'))));
  const replies = await Promise.all([1, 2, 3, 4].map((n) => requestLine(m.endpoint, `r${n}`)));
  t.deepEqual(replies.sort(), ['single svc [] r1\n', 'single svc [] r2\n', 'single svc [] r3\n', 'single svc [] r4\n']);
  t.is(fileLines(out).length, 4);
  // Both processes served, each reporting TAKEN before AVAIL.
  t.true(await waitFor(() => m.statuses.length + m2.statuses.length >= 8));
  t.true(m.statuses.length > 0 && m2.statuses.length > 0, `${m.statuses.length} ${m2.statuses.length}`);
});

test('watchdog: a service that takes longer than daemon_timeout is killed', async (t) => {
  const { m } = start(t, 'unix', ['-l', '-V', '-o', 'daemon_timeout=1'], { SKEL_SLEEP_MS: '20000' });
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const sock = await connectTo(m.endpoint);
  sock.write('slow\n');
  t.true(await m.waitExit(), m.stderr);
  sock.destroy();
  t.deepEqual(m.exit, { code: 1, signal: null });
  t.is(m.stderr, 'postfix/skeltest: fatal: watchdog timeout\n');
});

test('-S: one client on standard input and output, no master needed', async (t) => {
  const { config } = skeletonConfig(t);
  writeFileSync(join(config, '..', 'out'), '');
  const child = spawn(process.execPath, [DAEMON, '-S', '-n', 'svc', 'x'], {
    env: { MAIL_CONFIG: config, SKEL_KIND: 'single', POSTFIX_TS_ARGV0: 'skeltest', PATH: '/usr/bin:/bin' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('latin1').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('latin1').on('data', (s: string) => (stderr += s));
  child.stdin.end('standalone\n');
  const code = await new Promise((resolve) => child.on('close', resolve));
  t.is(code, 0, stderr);
  t.is(stdout, 'single svc [x] standalone\n');
});

test('watchdog: a wait for clients longer than daemon_timeout is no timeout', async (t) => {
  const { m } = start(t, 'unix', ['-l', '-V', '-v', '-i', '3', '-o', 'daemon_timeout=1']);
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
  t.regex(m.stderr, /idle timeout -- exiting\n$/);
});
