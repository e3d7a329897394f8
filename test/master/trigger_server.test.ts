/*
 * trigger_server under a fake master: FIFO and socket triggers (the bytes of one read go
 * to the service), TAKEN/AVAIL around each, a client that sends nothing, max_use, and
 * the stand-alone -S mode that reads one trigger from standard input.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, openSync, writeSync, closeSync, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { connectTo, FakeMaster, fileLines, skeletonConfig, waitFor, type Transport } from '../helpers/fake_master.js';
import { DIST } from '../helpers/paths.js';

const DAEMON = join(DIST, 'test/master/skeleton_daemon.js');

function start(t: ExecutionContext, transport: Transport, args: string[], env: Record<string, string> = {}) {
  const m = new FakeMaster(t, {
    program: DAEMON, argv0: 'pickup', transport, service: 'pickup',
    args: ['-l', ...args], env: { SKEL_KIND: 'trigger', ...env },
  });
  return { m, out: join(m.dir, 'out') };
}

function writeFifo(path: string, text: string): void {
  const fd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
  writeSync(fd, Buffer.from(text, 'latin1'));
  closeSync(fd);
}

test('fifo: the bytes of a trigger reach the service; TAKEN then AVAIL', async (t) => {
  const { m, out } = start(t, 'fifo', ['arg']);
  writeFifo(m.endpoint, 'W');
  t.true(await waitFor(() => fileLines(out).length >= 1), m.stderr);
  writeFifo(m.endpoint, 'FADI');
  t.true(await waitFor(() => fileLines(out).length >= 2), m.stderr);
  t.deepEqual(fileLines(out), ['trigger pickup [arg] 57', 'trigger pickup [arg] 46414449']);
  t.true(await m.waitStatuses(4));
  t.deepEqual(m.avail, [0, 1, 0, 1]);
  m.disconnect();
  t.true(await m.waitExit());
  t.deepEqual(m.exit, { code: 0, signal: null });
});

test('unix: one read per connection, then the connection is closed', async (t) => {
  const { m, out } = start(t, 'unix', []);
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const sock = await connectTo(m.endpoint);
  const closed = new Promise((resolve) => sock.on('close', resolve));
  sock.on('error', () => undefined);
  sock.write(Buffer.from('W\0', 'latin1'));
  await closed;
  t.deepEqual(fileLines(out), ['trigger pickup [] 5700']);
  t.true(await m.waitStatuses(2));
  t.deepEqual(m.avail, [0, 1]);
});

test('unix -m 1: the process exits after one trigger', async (t) => {
  const { m, out } = start(t, 'unix', ['-m', '1']);
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const sock = await connectTo(m.endpoint);
  sock.on('error', () => undefined);
  sock.write('D');
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
  t.deepEqual(fileLines(out), ['trigger pickup [] 44']);
});

test('-S: one trigger from standard input', async (t) => {
  const { config } = skeletonConfig(t);
  const child = spawn(process.execPath, [DAEMON, '-S'], {
    env: { MAIL_CONFIG: config, SKEL_KIND: 'trigger', POSTFIX_TS_ARGV0: 'pickup', PATH: '/usr/bin:/bin' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end('W');
  const code = await new Promise((resolve) => child.on('close', resolve));
  t.is(code, 0);
  t.deepEqual(fileLines(join(config, '..', 'out')), ['trigger pickup [] 57']);
});
