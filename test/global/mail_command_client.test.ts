/*
 * mail_command_client next to the reference postqueue -s (which makes the same exchange
 * through its own mail_command_client) against the same test servers: the warnings each
 * failing stage prints, and the status that comes back. Also mail_command_server reading
 * what the reference client sends.
 */
import test, { type ExecutionContext } from 'ava';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { mailCommandClient } from '../../src/global/mail_command_client.js';
import { mailCommandServer } from '../../src/global/mail_command_server.js';
import { MAIL_ATTR_PROTO_FLUSH, MAIL_ATTR_REQ, MAIL_ATTR_SITE, sendProtocolAnnouncement } from '../../src/global/mail_proto.js';
import { ATTR_FLAG_NONE, recvAttrStr, sendAttrInt, sendAttrStr } from '../../src/util/attr.js';
import { attrPrint0 } from '../../src/util/attr_print0.js';
import { AsyncVStream } from '../../src/util/vstream_async.js';
import { requireRoot, runReference } from '../helpers/diff.js';
import { tempInstance } from '../helpers/endpoints.js';
import { startMsgCapture, stopMsgCapture } from '../helpers/msg_capture.js';

type Behaviour = 'wrong-hello' | 'no-status' | 'hang-up' | number;

/** A flush server that misbehaves as told, or answers with the given status. */
async function flushServer(t: ExecutionContext, path: string, behaviour: Behaviour, requests: string[]): Promise<void> {
  const open = new Set<Socket>();
  const server = createServer(async (sock) => {
    open.add(sock);
    const stream = new AsyncVStream(sock, sock, { path: 'client', timeout: 10 });
    if (behaviour === 'hang-up') {
      sock.destroy();
      return;
    }
    await sendProtocolAnnouncement(stream, behaviour === 'wrong-hello' ? 'wrong' : MAIL_ATTR_PROTO_FLUSH);
    const { count, values } = await mailCommandServer(stream, [recvAttrStr(MAIL_ATTR_REQ), recvAttrStr(MAIL_ATTR_SITE)]);
    requests.push(`${count} ${values.join(' ')}`);
    if (typeof behaviour === 'number') attrPrint0(stream, ATTR_FLAG_NONE, [sendAttrInt('status', behaviour)]);
    await stream.close();
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => {
    for (const sock of open) sock.destroy();
    server.close();
  });
}

/** The warnings of the reference postqueue -s example.com, and ours for the same request. */
async function both(t: ExecutionContext, behaviour: Behaviour | 'no-server') {
  const inst = tempInstance(t, 'fast_flush_domains = example.com\n');
  const requests: string[] = [];
  if (behaviour !== 'no-server') await flushServer(t, join(inst.spool, 'public/flush'), behaviour, requests);
  const ref = await runReference('postqueue', ['-c', inst.config, '-s', 'example.com']);
  const old = process.cwd();
  process.chdir(inst.spool);
  const lines = startMsgCapture('postqueue');
  let status: number;
  try {
    status = await mailCommandClient('public', 'flush', MAIL_ATTR_PROTO_FLUSH,
      [sendAttrStr(MAIL_ATTR_REQ, 'send_site'), sendAttrStr(MAIL_ATTR_SITE, 'example.com')]);
  } finally {
    stopMsgCapture();
    process.chdir(old);
  }
  const refWarnings = ref.stderr.split(/(?<=\n)/).filter((l) => l.startsWith('postqueue: warning:'));
  return { ours: lines, ref: refWarnings, refStatus: ref.status, status, requests };
}

/** A warning without its final ": %m" part (Postfix's errno there is whatever was left behind). */
const withoutErrno = (line: string) => line.slice(0, line.lastIndexOf(': '));

test.serial('no server', async (t) => {
  if (!requireRoot(t)) return;
  const r = await both(t, 'no-server');
  t.is(r.status, -1);
  t.deepEqual(r.ours, r.ref);
  t.is(r.ref.length, 1);
});

test.serial('wrong announcement', async (t) => {
  if (!requireRoot(t)) return;
  const r = await both(t, 'wrong-hello');
  t.is(r.status, -1);
  t.is(r.ref.length, 2);
  t.is(r.ours[0], r.ref[0]);
  t.is(withoutErrno(r.ours[1]!), withoutErrno(r.ref[1]!));
  t.true(r.requests.every((line) => line.startsWith('0 ')), 'neither client sent a request');
});

test.serial('server reads the request and closes without a status', async (t) => {
  if (!requireRoot(t)) return;
  const r = await both(t, 'no-status');
  t.is(r.status, -1);
  t.is(r.ref.length, 1);
  t.is(withoutErrno(r.ours[0]!), withoutErrno(r.ref[0]!));
  t.deepEqual(r.requests, ['2 send_site example.com', '2 send_site example.com']);
});

test.serial('server hangs up at once', async (t) => {
  if (!requireRoot(t)) return;
  const r = await both(t, 'hang-up');
  t.is(r.status, -1);
  t.is(r.ref.length, 1);
  t.is(withoutErrno(r.ours[0]!), withoutErrno(r.ref[0]!));
});

for (const status of [0, 4]) {
  test.serial(`status ${status} comes back`, async (t) => {
    if (!requireRoot(t)) return;
    const r = await both(t, status);
    t.is(r.status, status);
    t.deepEqual(r.ours, []);
    t.deepEqual(r.ours, r.ref);
    t.deepEqual(r.requests, ['2 send_site example.com', '2 send_site example.com']);
  });
}
