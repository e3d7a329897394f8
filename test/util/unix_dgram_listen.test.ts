/*
 * unix_dgram_listen: datagrams from a python3 process arrive one by one, cut to the
 * buffer size; the socket replaces what was at its path and has mode 0666.
 */
import test from 'ava';
import { closeSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import { DGRAM_PEER } from '../helpers/dgram_peer.js';
import { PythonPeer } from '../helpers/python.js';
import { NON_BLOCKING } from '../../src/util/poll_fd.js';
import { unixDgramConnect, unixDgramSend } from '../../src/util/unix_dgram_connect.js';
import { unixDgramListen, unixDgramRecv, unixDgramRecvAsync } from '../../src/util/unix_dgram_listen.js';

test('unixDgramListen receives python datagrams one by one', async (t) => {
  const path = join(tempDir(t), 'dgram');
  writeFileSync(path, 'stale'); // replaced, as Postfix removes what is there
  const sock = unixDgramListen(path, NON_BLOCKING);
  t.teardown(() => closeSync(sock));
  t.is(statSync(path).mode & 0o7777, 0o666);
  t.true(statSync(path).isSocket());
  t.is(unixDgramRecv(sock, 100), null);

  const peer = new PythonPeer(t, DGRAM_PEER);
  const first = unixDgramRecvAsync(sock, 100);
  t.is(await peer.ask(`send ${path} first datagram`), 'sent');
  t.is(await peer.ask(`send ${path} second`), 'sent');
  t.is((await first).toString(), 'first datagram');
  t.is((await unixDgramRecvAsync(sock, 100)).toString(), 'second');
  t.is(await peer.ask(`send ${path} cut short`), 'sent');
  t.is((await unixDgramRecvAsync(sock, 3)).toString(), 'cut');
  t.is(unixDgramRecv(sock, 100), null, 'the rest of a datagram is gone');
  await t.throwsAsync(unixDgramRecvAsync(sock, 100, 0.05), { code: 'ETIMEDOUT' });
});

test('a datagram round trip between our own ends', async (t) => {
  const path = join(tempDir(t), 'dgram');
  const server = unixDgramListen(path, NON_BLOCKING);
  t.teardown(() => closeSync(server));
  const client = unixDgramConnect(path, NON_BLOCKING);
  t.teardown(() => closeSync(client));
  const big = Buffer.alloc(3000, 'x');
  unixDgramSend(client, big);
  t.deepEqual(await unixDgramRecvAsync(server, 4096), big);
});
