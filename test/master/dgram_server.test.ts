/*
 * dgram_server under a fake master: one service call per datagram, TAKEN/AVAIL around
 * each, the process generation in the status records, max_use retirement, the idle
 * timeout, and the exit when master goes away.
 */
import test, { type ExecutionContext } from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeMaster, waitFor } from '../helpers/fake_master.js';
import { DIST } from '../helpers/paths.js';
import { unixDgramConnect } from '../../src/util/unix_dgram_connect.js';
import { libc } from '../../src/util/sys_libc.js';

const DAEMON = join(DIST, 'test/master/skeleton_daemon.js');

function send(path: string, text: string | Buffer): void {
  const fd = unixDgramConnect(path, 0);
  const data = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  libc().send(fd, data, data.length, 0);
  libc().close(fd);
}

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'latin1').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

function start(t: ExecutionContext, args: string[], env: Record<string, string> = {}) {
  const m = new FakeMaster(t, {
    program: DAEMON, argv0: 'postlogd', transport: 'unix-dgram', service: 'postlog',
    args: ['-n', 'postlog', ...args], env: { SKEL_KIND: 'dgram', ...env }, generation: 0o17,
  });
  return { m, out: join(m.dir, 'out') };
}

test('each datagram is one service call between TAKEN and AVAIL', async (t) => {
  const { m, out } = start(t, ['-l', '-V', 'extra']);
  send(m.endpoint, 'first');
  t.true(await waitFor(() => lines(out).length >= 1), m.stderr);
  send(m.endpoint, 'x'.repeat(5000));
  t.true(await waitFor(() => lines(out).length >= 2), m.stderr);
  t.true(await m.waitStatuses(4));
  t.deepEqual(lines(out)[0], 'dgram postlog [extra] first');
  // Datagrams longer than DGRAM_BUF_SIZE are cut to 4096 bytes.
  t.is(lines(out)[1], `dgram postlog [extra] ${'x'.repeat(4096)}`);
  t.deepEqual(m.avail, [0, 1, 0, 1]);
  t.true(m.statuses.every((s) => s.pid === m.child.pid && s.gen === 0o17));
  m.disconnect();
  t.true(await m.waitExit(), 'exits when master goes away');
  t.deepEqual(m.exit, { code: 0, signal: null });
});

test('max_use: the process retires after that many datagrams', async (t) => {
  const { m } = start(t, ['-l', '-m', '2']);
  send(m.endpoint, 'a');
  send(m.endpoint, 'b');
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
  t.deepEqual(m.avail, [0, 1, 0, 1]);
});

test('max_idle: the process exits when idle that long (verbose logs why)', async (t) => {
  const { m } = start(t, ['-l', '-i', '1', '-V', '-v']);
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
  t.regex(m.stderr, /postfix\/postlogd: idle timeout -- exiting\n/);
  t.regex(m.stderr, /postfix\/postlogd: process generation: 17 \(17\)\n/);
});

test('several processes take turns through the lock file pid/unix-dgram.<service>', async (t) => {
  const { m, out } = start(t, ['-V'], { SKEL_SLEEP_MS: '200' });
  const m2 = new FakeMaster(t, {
    program: DAEMON, argv0: 'postlogd', transport: 'unix-dgram', service: 'postlog', shareWith: m,
    args: ['-n', 'postlog', '-V'], env: { SKEL_KIND: 'dgram', SKEL_SLEEP_MS: '200' },
  });
  t.true(await waitFor(() => {
    try {
      readFileSync(join(m.spool, 'pid', 'unix-dgram.postlog'));
      return true;
    } catch {
      return false;
    }
  }));
  for (let i = 0; i < 6; i++) send(m.endpoint, `msg${i}`);
  t.true(await waitFor(() => lines(out).length >= 6), `${m.stderr}${m2.stderr}`);
  t.deepEqual(lines(out).map((l) => l.split(' ').pop()).sort(), ['msg0', 'msg1', 'msg2', 'msg3', 'msg4', 'msg5']);
});
