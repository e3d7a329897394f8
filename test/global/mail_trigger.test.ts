/*
 * mail_trigger, unix_trigger and fifo_trigger in-process, against endpoints in a private
 * queue directory. The bytes that arrive must equal the reference captures of the same
 * triggers (postqueue -f, postdrop, postkick).
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mailTrigger } from '../../src/global/mail_trigger.js';
import { MAIL_CLASS_PUBLIC, QMGR_REQ_FLUSH_DEAD, QMGR_REQ_SCAN_ALL, QMGR_REQ_SCAN_DEFERRED, QMGR_REQ_SCAN_INCOMING,
  TRIGGER_REQ_WAKEUP } from '../../src/global/mail_proto.js';
import { fifoTrigger } from '../../src/util/fifo_trigger.js';
import { drainTriggers, triggersInFlight } from '../../src/util/trigger.js';
import { unixTrigger } from '../../src/util/unix_trigger.js';
import { msg } from '../../src/util/msg.js';
import { readCapture } from '../helpers/captures.js';
import { tempDir } from '../helpers/diff.js';
import { startMsgCapture, stopMsgCapture } from '../helpers/msg_capture.js';
import { fifoReader, staleSocket, triggerServer } from '../helpers/endpoints.js';

const FADI = QMGR_REQ_FLUSH_DEAD + QMGR_REQ_SCAN_ALL + QMGR_REQ_SCAN_DEFERRED + QMGR_REQ_SCAN_INCOMING;

/** A private queue directory made the current directory for the test. */
function queueDir(t: ExecutionContext): string {
  const spool = tempDir(t, 'pf-trigger-');
  mkdirSync(join(spool, 'public'));
  const old = process.cwd();
  process.chdir(spool);
  t.teardown(() => process.chdir(old));
  return spool;
}

test.serial('socket triggers carry a NUL and match the captures', async (t) => {
  queueDir(t);
  const qmgr = await triggerServer(t, 'public/qmgr');
  const pickup = await triggerServer(t, 'public/pickup');
  t.is(await mailTrigger(MAIL_CLASS_PUBLIC, 'qmgr', FADI), 0);
  t.is(await mailTrigger(MAIL_CLASS_PUBLIC, 'pickup', TRIGGER_REQ_WAKEUP), 0);
  await drainTriggers(10);
  t.is(triggersInFlight(), 0);
  await Promise.all([qmgr.idle(), pickup.idle()]);
  t.deepEqual(qmgr.received, [readCapture('trigger_postqueue_f_to_qmgr_socket.bin')]);
  t.deepEqual(pickup.received, [readCapture('trigger_postqueue_f_to_pickup_socket.bin')]);
});

test.serial('fifo triggers carry no NUL and match the captures', async (t) => {
  queueDir(t);
  const qmgr = fifoReader(t, 'public/qmgr');
  const pickup = fifoReader(t, 'public/pickup');
  t.is(await mailTrigger(MAIL_CLASS_PUBLIC, 'qmgr', FADI), 0);
  t.is(await mailTrigger(MAIL_CLASS_PUBLIC, 'pickup', TRIGGER_REQ_WAKEUP), 0);
  t.is(triggersInFlight(), 0, 'nothing to wait for');
  t.is(qmgr(), readCapture('trigger_postqueue_f_to_qmgr_fifo.bin'));
  t.is(pickup(), readCapture('trigger_postqueue_f_to_pickup_fifo.bin'));
});

test.serial('missing endpoint, and one that is neither socket nor fifo', async (t) => {
  queueDir(t);
  writeFileSync('public/plain', '');
  const lines = startMsgCapture('test');
  try {
    t.is(await mailTrigger(MAIL_CLASS_PUBLIC, 'nosuch', 'W'), -1);
    t.is(await mailTrigger(MAIL_CLASS_PUBLIC, 'plain', 'W'), -1);
  } finally {
    stopMsgCapture();
  }
  t.deepEqual(lines, [
    'test: warning: unable to look up public/nosuch: No such file or directory\n',
    'test: warning: public/plain is not a socket or a fifo\n',
  ]);
});

test.serial('fifo trigger: no reader, hard links and symbolic links are refused', async (t) => {
  const spool = queueDir(t);
  t.is(spawnSync('mkfifo', ['public/noreader']).status, 0);
  fifoReader(t, 'public/linked');
  linkSync('public/linked', 'public/linked2');
  const target = fifoReader(t, 'public/target');
  symlinkSync(join(spool, 'public/target'), 'public/symlink');
  const lines = startMsgCapture('test');
  msg.verbose = 1;
  try {
    t.is(await fifoTrigger('public/noreader', 'W', 10), -1);
    t.is(await fifoTrigger('public/linked', 'W', 10), -1);
    // A root-owned link in a root-owned directory that others cannot write is trusted ...
    t.is(await fifoTrigger('public/symlink', 'W', 10), process.getuid?.() === 0 ? 0 : -1);
    // ... but not in a group-writable one.
    chmodSync('public', 0o775);
    t.is(await fifoTrigger('public/symlink', 'W', 10), -1);
  } finally {
    msg.verbose = 0;
    stopMsgCapture();
  }
  t.deepEqual(lines, [
    'test: fifo_trigger: open public/noreader: cannot open file: No such device or address\n',
    'test: fifo_trigger: open public/linked: file has 2 hard links\n',
    ...(process.getuid?.() === 0 ? [] : ['test: fifo_trigger: open public/symlink: file is a symbolic link\n']),
    'test: fifo_trigger: open public/symlink: file is a symbolic link\n',
  ]);
  t.is(target(), process.getuid?.() === 0 ? 'W' : '');
});

test.serial('unix trigger: connection refused, and a server that keeps the connection open', async (t) => {
  queueDir(t);
  const path = 'public/stale';
  staleSocket(path);
  const lines = startMsgCapture('test');
  msg.verbose = 2;
  try {
    t.is(await unixTrigger(path, 'W', 10), -1);
  } finally {
    msg.verbose = 0;
    stopMsgCapture();
  }
  t.deepEqual(lines, [
    'test: unix_trigger: service public/stale\n',
    'test: warning: unix_trigger: connect to public/stale: Connection refused\n',
  ]);

  const slow = await triggerServer(t, 'public/slow', false);
  t.is(await unixTrigger('public/slow', 'D', 10), 0);
  await drainTriggers(0.3);
  t.is(triggersInFlight(), 1, 'still waiting for the server to hang up');
  t.deepEqual(slow.received, ['D\0']);
});

test.serial('inet trigger: request plus NUL over TCP; refused connection', async (t) => {
  const { createServer } = await import('node:net');
  const { inetTrigger } = await import('../../src/util/inet_trigger.js');
  let gotAll: (data: string) => void;
  const received = new Promise<string>((resolve) => (gotAll = resolve));
  const server = createServer((sock) => {
    let data = '';
    sock.on('data', (b) => {
      data += b.toString('latin1');
      if (data.endsWith('\0')) sock.end();
    });
    sock.on('close', () => gotAll(data));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as import('node:net').AddressInfo).port;
  t.is(await inetTrigger(`127.0.0.1:${port}`, 'W', 10), 0);
  await drainTriggers(10);
  t.is(await received, 'W\0');

  const lines = startMsgCapture('test');
  msg.verbose = 1;
  try {
    server.close();
    t.is(await inetTrigger(`127.0.0.1:${port}`, 'W', 10), -1);
  } finally {
    msg.verbose = 0;
    stopMsgCapture();
  }
  // With -v, inet_connect() names each address it tries, as Postfix's does.
  t.deepEqual(lines, [
    'test: trying... [127.0.0.1]\n',
    `test: warning: inet_trigger: connect to 127.0.0.1:${port}: Connection refused\n`,
  ]);
});
