/*
 * unix_send_fd: descriptors we send arrive in a python3 process (socket.recv_fds), with
 * the one NUL data byte that Postfix sends, over raw descriptors and over net.Socket.
 */
import test from 'ava';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import { FD_PEER, peerConnection } from '../helpers/fd_peer.js';
import { PythonPeer } from '../helpers/python.js';
import { duplexPipe } from '../../src/util/duplex_pipe.js';
import { unixSendFd, unixSendFdAsync } from '../../src/util/unix_send_fd.js';
import { strerror } from '../../src/util/strerror.js';

function fileWith(t: Parameters<typeof tempDir>[0], content: string): number {
  const path = join(tempDir(t), 'file');
  writeFileSync(path, content);
  const fd = openSync(path, 'r');
  t.teardown(() => closeSync(fd));
  return fd;
}

function pairWithPeer(t: Parameters<typeof tempDir>[0]): { ours: number; peer: PythonPeer } {
  const [ours, theirs] = duplexPipe();
  const peer = new PythonPeer(t, FD_PEER, [], { stdio: ['pipe', 'pipe', 'pipe', theirs] });
  closeSync(theirs);
  t.teardown(() => closeSync(ours));
  return { ours, peer };
}

test('unixSendFd: python receives the descriptor and one NUL byte', async (t) => {
  const { ours, peer } = pairWithPeer(t);
  unixSendFd(ours, fileWith(t, 'first file'));
  t.is(await peer.ask('recv'), 'got 00 1 first file');
  await unixSendFdAsync(ours, fileWith(t, 'second file'));
  t.is(await peer.ask('recv'), 'got 00 1 second file');
});

test('unixSendFd: errors carry the errno', (t) => {
  const fd = fileWith(t, 'x');
  const err = t.throws(() => unixSendFd(fd, fd));
  t.is((err as NodeJS.ErrnoException).code, 'ENOTSOCK');
  t.is(strerror(err), 'Socket operation on non-socket');
});

test('unixSendFdAsync over a net.Socket: data written before the descriptor arrives first', async (t) => {
  const { peer, conn } = await peerConnection(t);
  conn.write('hello');
  await unixSendFdAsync(conn, fileWith(t, 'after hello'));
  t.is(await peer.ask('read 5'), `data ${Buffer.from('hello').toString('hex')}`);
  t.is(await peer.ask('recv'), 'got 00 1 after hello');
});

test('unixSendFdAsync can hand a connected net.Socket to another process', async (t) => {
  // What postscreen does with a client connection: the receiver talks to the client.
  const tcp = createServer();
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  t.teardown(() => tcp.close());
  const accepted = new Promise<Socket>((resolve) => tcp.once('connection', resolve));
  const client = connect((tcp.address() as { port: number }).port, '127.0.0.1');
  t.teardown(() => client.destroy());
  const conn = await accepted;
  t.teardown(() => conn.destroy());
  const { ours, peer } = pairWithPeer(t);
  await unixSendFdAsync(ours, conn);
  t.regex(await peer.ask('recv'), /^got 00 1 /);
  const reply = new Promise<string>((resolve) => client.once('data', (b: Buffer) => resolve(b.toString())));
  t.is(await peer.ask('reply 220 greetings'), 'replied');
  t.is(await reply, '220 greetings');
});
