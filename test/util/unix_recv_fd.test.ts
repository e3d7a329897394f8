/*
 * unix_recv_fd: descriptors that a python3 process sends with socket.send_fds arrive here,
 * over raw descriptors and over a net.Socket; a message without one gives null.
 */
import test from 'ava';
import { closeSync, fstatSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import { FD_PEER, peerConnection } from '../helpers/fd_peer.js';
import { PythonPeer } from '../helpers/python.js';
import { duplexPipe } from '../../src/util/duplex_pipe.js';
import { unixRecvFd, unixRecvFdAsync } from '../../src/util/unix_recv_fd.js';
import { strerror } from '../../src/util/strerror.js';

function contentOf(fd: number): string {
  const buf = Buffer.alloc(100);
  return buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0));
}

function file(t: Parameters<typeof tempDir>[0], content: string): string {
  const path = join(tempDir(t), 'file');
  writeFileSync(path, content);
  return path;
}

test('unixRecvFd: a descriptor from python, blocking and on the event loop', async (t) => {
  const [ours, theirs] = duplexPipe();
  t.teardown(() => closeSync(ours));
  const peer = new PythonPeer(t, FD_PEER, [], { stdio: ['pipe', 'pipe', 'pipe', theirs] });
  closeSync(theirs);

  t.is(await peer.ask(`send ${file(t, 'one')}`), 'sent');
  const first = unixRecvFd(ours);
  t.not(first, null);
  t.is(contentOf(first!), 'one');
  closeSync(first!);

  const waiting = unixRecvFdAsync(ours); // nothing there yet: waits for readability
  t.is(await peer.ask(`send ${file(t, 'two')}`), 'sent');
  const second = await waiting;
  t.is(contentOf(second!), 'two');
  closeSync(second!);

  t.is(await peer.ask('plain x'), 'sent');
  t.is(unixRecvFd(ours), null, 'data without a descriptor');
  t.is(await peer.ask('close'), 'closed');
  t.is(await unixRecvFdAsync(ours), null, 'end of file');
});

test('unixRecvFdAsync on a net.Socket accepted with pauseOnConnect', async (t) => {
  const { peer, conn } = await peerConnection(t, true);
  t.is(await peer.ask(`send ${file(t, 'via net.Socket')}`), 'sent');
  const fd = await unixRecvFdAsync(conn, 10);
  t.true(fstatSync(fd!).isFile());
  t.is(contentOf(fd!), 'via net.Socket');
  closeSync(fd!);
  // The socket still works as a stream afterwards.
  const data = new Promise<string>((resolve) => conn.once('data', (b: Buffer) => resolve(b.toString())));
  conn.resume();
  t.is(await peer.ask('plain after'), 'sent');
  t.is(await data, 'after');
});

test('unixRecvFdAsync refuses a socket that is reading, and reports errors with errno', async (t) => {
  const { conn } = await peerConnection(t);
  await t.throwsAsync(unixRecvFdAsync(conn), { message: /socket is reading/ });

  const err = t.throws(() => unixRecvFd(-1));
  t.is(strerror(err), 'Bad file descriptor');
});
