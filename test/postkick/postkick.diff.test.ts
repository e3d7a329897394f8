/*
 * postkick, ours and the reference's, against endpoints the test makes in a private queue
 * directory: a trigger server on a UNIX socket, a fifo, a stale socket nobody listens on,
 * a plain file, nothing at all, and a server that never hangs up. Same bytes received,
 * same standard error, same exit status.
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { readCapture } from '../helpers/captures.js';
import { requireRoot, runOurs, runReference, tempDir, type RunResult } from '../helpers/diff.js';

interface Instance {
  config: string;
  spool: string;
}

function instance(t: ExecutionContext, extra = ''): Instance {
  const dir = tempDir(t, 'pf-kick-');
  const config = join(dir, 'etc');
  const spool = join(dir, 'spool');
  for (const d of [config, join(spool, 'public'), join(spool, 'private')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(config, 'main.cf'), `queue_directory = ${spool}\n${extra}`);
  return { config, spool };
}

/**
 * A trigger server like Postfix's: per connection, one read, then close (unless told to
 * keep the connection open). Records what each connection delivered.
 */
async function triggerServer(t: ExecutionContext, path: string, hangUp = true): Promise<{ received: string[]; server: Server }> {
  const received: string[] = [];
  const open = new Set<Socket>();
  const server = createServer((sock) => {
    open.add(sock);
    sock.once('data', (data) => {
      received.push(data.toString('latin1'));
      if (hangUp) sock.end();
    });
    sock.on('close', () => open.delete(sock));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => {
    for (const sock of open) sock.destroy();
    server.close();
  });
  return { received, server };
}

async function kickBoth(inst: Instance, args: string[]): Promise<[RunResult, RunResult]> {
  // One after the other, so that each connection belongs to one program.
  const ours = await runOurs('postkick', ['-c', inst.config, ...args]);
  const ref = await runReference('postkick', ['-c', inst.config, ...args]);
  return [ours, ref];
}

test('socket: request plus NUL, then wait for the server to hang up', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  const { received } = await triggerServer(t, join(inst.spool, 'public/kicktest'));
  const [ours, ref] = await kickBoth(inst, ['public', 'kicktest', 'DI']);
  t.deepEqual(ours, ref);
  t.is(ref.status, 0);
  t.is(received.length, 2);
  t.is(received[0], received[1]);
  t.is(received[1], readCapture('trigger_postkick_DI.bin'));
});

test('socket in private/, several letters', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  const { received } = await triggerServer(t, join(inst.spool, 'private/qmgr'));
  const [ours, ref] = await kickBoth(inst, ['private', 'qmgr', 'FADI']);
  t.deepEqual(ours, ref);
  t.deepEqual(received, [readCapture('trigger_postqueue_f_to_qmgr_socket.bin'), readCapture('trigger_postqueue_f_to_qmgr_socket.bin')]);
});

test('fifo: the request bytes without a NUL', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  const fifo = join(inst.spool, 'public/pickup');
  t.is(spawnSync('mkfifo', ['-m', '0622', fifo]).status, 0);
  // Open the reading end without blocking, so that the writers find a reader.
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  t.teardown(() => closeSync(fd));
  const drain = () => {
    const buf = Buffer.alloc(1024);
    try {
      return buf.toString('latin1', 0, readSync(fd, buf));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return '';
      throw err;
    }
  };
  const ours = await runOurs('postkick', ['-c', inst.config, 'public', 'pickup', 'W']);
  const fromOurs = drain();
  const ref = await runReference('postkick', ['-c', inst.config, 'public', 'pickup', 'W']);
  const fromRef = drain();
  t.deepEqual(ours, ref);
  t.is(ref.status, 0);
  t.is(fromRef, readCapture('trigger_postqueue_f_to_pickup_fifo.bin'));
  t.is(fromOurs, fromRef);
});

test('fifo without a reader', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  t.is(spawnSync('mkfifo', [join(inst.spool, 'public/qmgr')]).status, 0);
  const [ours, ref] = await kickBoth(inst, ['public', 'qmgr', 'I']);
  t.deepEqual(ours, ref);
  t.is(ref.status, 1);
});

test('no such endpoint', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  const [ours, ref] = await kickBoth(inst, ['public', 'nosuch', 'W']);
  t.deepEqual(ours, ref);
  t.is(ref.status, 1);
});

test('endpoint that is neither socket nor fifo', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  writeFileSync(join(inst.spool, 'public/plain'), '');
  const [ours, ref] = await kickBoth(inst, ['public', 'plain', 'W']);
  t.deepEqual(ours, ref);
  t.is(ref.status, 1);
});

test('stale socket with no listener', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  const path = join(inst.spool, 'public/stale');
  // A listener killed without cleaning up leaves its socket file behind.
  const child = spawnSync(process.execPath, ['-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  t.is(child.signal, 'SIGKILL');
  t.true(existsSync(path));
  const [ours, ref] = await kickBoth(inst, ['public', 'stale', 'W']);
  t.deepEqual(ours, ref);
  t.is(ref.status, 1);
});

test('server that never hangs up: give up after application_event_drain_time', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t, 'application_event_drain_time = 2s\n');
  const { received } = await triggerServer(t, join(inst.spool, 'public/slow'), false);
  const [ours, ref] = await kickBoth(inst, ['public', 'slow', 'W']);
  t.deepEqual(ours, ref);
  t.is(ref.status, 0);
  t.deepEqual(received, ['W\0', 'W\0']);
});

test('queue directory that does not exist', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  writeFileSync(join(inst.config, 'main.cf'), `queue_directory = ${inst.spool}/nonexistent\n`);
  const [ours, ref] = await kickBoth(inst, ['public', 'x', 'W']);
  t.deepEqual(ours, ref);
  t.is(ref.status, 1);
});

test('wrong number of arguments', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  for (const args of [['public', 'x'], ['public', 'x', 'W', 'extra']]) {
    const [ours, ref] = await kickBoth(inst, args);
    t.deepEqual(ours, ref);
    t.is(ref.status, 1);
  }
});

test('MAIL_CONFIG instead of -c, against a live server', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  const { received } = await triggerServer(t, join(inst.spool, 'public/pickup'));
  const env = { MAIL_CONFIG: inst.config };
  const ours = await runOurs('postkick', ['public', 'pickup', 'W'], { env });
  const ref = await runReference('postkick', ['public', 'pickup', 'W'], { env });
  t.deepEqual(ours, ref);
  t.deepEqual(received, [readCapture('trigger_postdrop_to_pickup_socket.bin'), readCapture('trigger_postdrop_to_pickup_socket.bin')]);
});

