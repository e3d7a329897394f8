/*
 * unix_dgram_connect: datagrams to a python3 process, and the errors a client sees.
 */
import test from 'ava';
import { closeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import { DGRAM_PEER } from '../helpers/dgram_peer.js';
import { PythonPeer } from '../helpers/python.js';
import { BLOCKING, NON_BLOCKING } from '../../src/util/poll_fd.js';
import { strerror } from '../../src/util/strerror.js';
import { unixDgramConnect, unixDgramSend } from '../../src/util/unix_dgram_connect.js';
import { unixDgramListen } from '../../src/util/unix_dgram_listen.js';

const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex');

test('unixDgramConnect sends datagrams to python', async (t) => {
  const path = join(tempDir(t), 'dgram');
  const peer = new PythonPeer(t, DGRAM_PEER);
  t.is(await peer.ask(`bind ${path}`), 'bound');
  for (const mode of [BLOCKING, NON_BLOCKING]) {
    const sock = unixDgramConnect(path, mode);
    t.teardown(() => closeSync(sock));
    unixDgramSend(sock, Buffer.from('one'));
    unixDgramSend(sock, Buffer.from('two\0with nul', 'latin1'));
    t.is(await peer.ask('recv'), hex('one'));
    t.is(await peer.ask('recv'), hex('two\0with nul'));
  }
});

test('unixDgramConnect reports a missing or dead server with the errno', (t) => {
  const dir = tempDir(t);
  const missing = t.throws(() => unixDgramConnect(join(dir, 'none'), BLOCKING));
  t.is(strerror(missing), 'No such file or directory');
  const dead = join(dir, 'dead');
  closeSync(unixDgramListen(dead, BLOCKING)); // the file remains, nobody listens
  const refused = t.throws(() => unixDgramConnect(dead, BLOCKING));
  t.is((refused as NodeJS.ErrnoException).code, 'ECONNREFUSED');
  t.is(strerror(refused), 'Connection refused');
});
