/*
 * event_server under a fake master: the service is called once per connection between
 * TAKEN and AVAIL, the session goes on by itself, and disconnects count toward max_use.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectTo, FakeMaster, fileLines, readLines, waitFor } from '../helpers/fake_master.js';
import { DIST } from '../helpers/paths.js';

const DAEMON = join(DIST, 'test/master/skeleton_daemon.js');

test('one service call per connection; sessions run concurrently', async (t) => {
  const m = new FakeMaster(t, {
    program: DAEMON, argv0: 'postscreen', transport: 'inet', service: 'smtp',
    args: ['-n', 'smtp', '-m', '2'], env: { SKEL_KIND: 'event' },
  });
  const out = join(m.dir, 'out');
  const a = await connectTo(m.endpoint);
  t.is(await readLines(a, 1), 'hello\n');
  const b = await connectTo(m.endpoint);
  t.is(await readLines(b, 1), 'hello\n');
  t.true(await m.waitStatuses(4));
  t.deepEqual(m.avail, [0, 1, 0, 1]);
  let reply = readLines(a, 1);
  a.write('x\n');
  t.is(await reply, 'event x\n');
  reply = readLines(b, 1);
  b.write('y\n');
  t.is(await reply, 'event y\n');
  a.end();
  t.true(await waitFor(() => fileLines(out).length >= 3));
  t.false(await m.waitExit(1000), 'a client is still connected');
  b.end();
  t.true(await m.waitExit(), m.stderr);
  t.deepEqual(m.exit, { code: 0, signal: null });
  t.deepEqual(fileLines(out).sort(), ['event smtp [] connect', 'event smtp [] connect', 'event smtp [] disconnect', 'event smtp [] disconnect']);
  t.true(existsSync(m.dir));
});
