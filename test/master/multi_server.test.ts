/*
 * multi_server under a fake master: several clients stay connected, each request is one
 * service call between TAKEN and AVAIL, a hang-up closes the connection, and the process
 * stays until max_use connections are done and no client is left.
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectTo, FakeMaster, fileLines, readLines, waitFor } from '../helpers/fake_master.js';
import { DIST } from '../helpers/paths.js';

const DAEMON = join(DIST, 'test/master/skeleton_daemon.js');

function start(t: ExecutionContext, args: string[], env: Record<string, string> = {}) {
  return new FakeMaster(t, {
    program: DAEMON, argv0: 'trivial-rewrite', transport: 'unix', service: 'rewrite',
    args: ['-n', 'rewrite', ...args], env: { SKEL_KIND: 'multi', ...env },
  });
}

test('clients stay connected; requests from several clients are served in turn', async (t) => {
  const m = start(t, []);
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const a = await connectTo(m.endpoint);
  const b = await connectTo(m.endpoint);
  let reply = readLines(a, 1);
  a.write('a1\n');
  t.is(await reply, 'multi rewrite [] a1\n');
  reply = readLines(b, 1);
  b.write('b1\n');
  t.is(await reply, 'multi rewrite [] b1\n');
  reply = readLines(a, 2);
  a.write('a2\na3\n');
  t.is(await reply, 'multi rewrite [] a2\nmulti rewrite [] a3\n');
  t.true(await m.waitStatuses(8));
  t.deepEqual(m.avail, [0, 1, 0, 1, 0, 1, 0, 1]);
  a.destroy();
  b.destroy();
  m.disconnect();
  t.true(await m.waitExit());
});

test('max_use counts closed connections; the process waits for the last client', async (t) => {
  const m = start(t, ['-m', '2']);
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const a = await connectTo(m.endpoint);
  const b = await connectTo(m.endpoint);
  const c = await connectTo(m.endpoint);
  const reply = readLines(c, 1);
  c.write('c\n');
  t.is(await reply, 'multi rewrite [] c\n');
  a.end();
  b.write('bye\n'); // the service disconnects this one itself
  t.false(await m.waitExit(1500), 'one client is still connected');
  c.end();
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
});

test('max_idle counts from the last disconnect', async (t) => {
  const m = start(t, ['-i', '1', '-V', '-v']);
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const a = await connectTo(m.endpoint);
  t.false(await m.waitExit(2000), 'no idle exit while a client is connected');
  a.end();
  t.true(await m.waitExit(), m.stderr);
  t.regex(m.stderr, /connection established fd \d+\n/);
  t.regex(m.stderr, /connection closed fd \d+\n/);
  t.regex(m.stderr, /idle timeout -- exiting\n$/);
});

test('hooks: pre-accept per client, pre-disconnect per hang-up, loop before each wait', async (t) => {
  const m = start(t, ['-l'], { SKEL_HOOKS: '1', SKEL_LOOP: '1' });
  const out = join(m.dir, 'out');
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const a = await connectTo(m.endpoint);
  const reply = readLines(a, 1);
  a.write('x\n');
  t.is(await reply, 'multi rewrite [] x\n');
  a.end();
  // The loop hook's 1-second wake-ups keep coming while nothing else happens.
  t.true(await waitFor(() => fileLines(out).filter((l) => l === 'loop rewrite').length >= 4));
  const lines = fileLines(out).filter((l) => l !== 'loop rewrite');
  t.deepEqual(lines, [`preInit rewrite  cwd=${m.spool}`, 'postInit rewrite uid=0', 'preAccept rewrite',
    'multi rewrite [] x', 'preDisconnect rewrite']);
  m.disconnect();
  t.true(await m.waitExit());
  t.is(fileLines(out).pop(), 'exit rewrite');
});
