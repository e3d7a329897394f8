/*
 * vstream_async: byte reads across chunk boundaries, push-back, pending output flushed
 * before a read waits, per-read timeouts versus a deadline over many reads, and errors
 * that stick to the stream.
 */
import test from 'ava';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { AsyncVStream, VSTREAM_EOF, VSTREAM_LIMIT } from '../../src/util/vstream_async.js';
import { tempDir } from '../helpers/diff.js';

test('getc, ungetc and readUntil across chunks', async (t) => {
  const stream = new AsyncVStream(Readable.from([Buffer.from('ab'), Buffer.from('c\0d'), Buffer.from('e\0')]), null, { path: 'x' });
  t.is(await stream.getc(), 0x61);
  stream.ungetc(0x61);
  t.deepEqual(await stream.readUntil((c) => c === 0), { text: 'abc', ch: 0 });
  t.deepEqual(await stream.readUntil((c) => c === 0), { text: 'de', ch: 0 });
  t.deepEqual(await stream.readUntil((c) => c === 0), { text: '', ch: VSTREAM_EOF });
  t.is(await stream.getc(), VSTREAM_EOF);
  t.false(stream.timedOut);
});

test('bytes above 0x7f stay single characters', async (t) => {
  const stream = new AsyncVStream(Readable.from([Buffer.from([0xe9, 0xff, 0x0a])]), null, { path: 'x' });
  t.deepEqual(await stream.readUntil((c) => c === 0x0a), { text: '\xe9\xff', ch: 0x0a });
});

test('a read times out after the stream timeout, and stays at end of input', async (t) => {
  const input = new PassThrough();
  const stream = new AsyncVStream(input, null, { path: 'x', timeout: 0.1 });
  input.write('a');
  t.is(await stream.getc(), 0x61);
  t.is(await stream.getc(), VSTREAM_EOF);
  t.true(stream.timedOut);
  input.write('b');
  t.is(await stream.getc(), VSTREAM_EOF, 'a timeout sticks');
  input.destroy();
});

test('per-read timeout versus a deadline over all reads', async (t) => {
  const drip = (stream: PassThrough) => {
    let n = 0;
    const timer = setInterval(() => {
      stream.write('x');
      if (++n === 12) {
        clearInterval(timer);
        stream.end();
      }
    }, 100);
    return timer;
  };
  const perRead = new PassThrough();
  drip(perRead);
  const a = new AsyncVStream(perRead, null, { path: 'a', timeout: 1 });
  t.deepEqual(await a.readUntil(() => false), { text: 'x'.repeat(12), ch: VSTREAM_EOF });
  t.false(a.timedOut, 'no single wait took a second');

  const withDeadline = new PassThrough();
  const timer = drip(withDeadline);
  const b = new AsyncVStream(withDeadline, null, { path: 'b', timeout: 0.5 });
  b.startDeadline();
  const got = await b.readUntil(() => false);
  clearInterval(timer);
  t.true(b.timedOut, 'the whole read took longer than the deadline');
  t.true(got.text.length < 12);
});

test('pending output is flushed before a read waits; a dead peer makes flush fail', async (t) => {
  const path = join(tempDir(t), 'echo');
  const server = createServer((sock) => sock.pipe(sock));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => server.close());
  const sock: Socket = connect(path);
  await new Promise((resolve) => sock.once('connect', resolve));
  const stream = new AsyncVStream(sock, sock, { path: 'echo socket', timeout: 5 });
  stream.write('ping\n');
  t.deepEqual(await stream.readUntil((c) => c === 0x0a), { text: 'ping', ch: 0x0a });
  t.true(await stream.close());

  const mute = createServer((s) => s.destroy());
  const mutePath = join(tempDir(t), 'mute');
  await new Promise<void>((resolve) => mute.listen(mutePath, resolve));
  t.teardown(() => mute.close());
  const sock2 = connect(mutePath);
  await new Promise((resolve) => sock2.once('connect', resolve));
  const stream2 = new AsyncVStream(sock2, sock2, { path: 'mute socket', timeout: 5 });
  t.is(await stream2.getc(), VSTREAM_EOF);
  stream2.write('x'.repeat(100000));
  t.false(await stream2.flush());
  t.not(stream2.error, null);
  stream2.destroy();
});

test('readUntil stops at its length limit', async (t) => {
  const stream = new AsyncVStream(Readable.from([Buffer.from('abc'), Buffer.from('def\0gh\0')]), null, { path: 'x' });
  t.deepEqual(await stream.readUntil((c) => c === 0, 6), { text: 'abcdef', ch: 0 });
  t.deepEqual(await stream.readUntil((c) => c === 0, 1), { text: 'gh', ch: VSTREAM_LIMIT });
});
