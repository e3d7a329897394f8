/*
 * mail_connect and mail_connect_wait: connecting to <class>/<name> under the queue
 * directory, the stream's path and I/O time limit, the protocol announcement on both
 * sides, and the retry loop with its warnings and final fatal error.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mailConnect, mailConnectWait } from '../../src/global/mail_connect.js';
import {
  MAIL_ATTR_PROTO_FLUSH, MAIL_ATTR_PROTO_SHOWQ, checkProtocolAnnouncement, sendProtocolAnnouncement,
} from '../../src/global/mail_proto.js';
import { ATTR_FLAG_STRICT, recvAttrInt, recvAttrStr, sendAttrInt, sendAttrStr } from '../../src/util/attr.js';
import { attrPrint0 } from '../../src/util/attr_print0.js';
import { attrScan0 } from '../../src/util/attr_scan0.js';
import { AsyncVStream } from '../../src/util/vstream_async.js';
import { readTranscript } from '../helpers/captures.js';
import { tempDir } from '../helpers/diff.js';
import { startMsgCapture, stopMsgCapture } from '../helpers/msg_capture.js';
import { DIST } from '../helpers/paths.js';

function queueDir(t: ExecutionContext): string {
  const spool = tempDir(t, 'pf-connect-');
  mkdirSync(join(spool, 'public'));
  mkdirSync(join(spool, 'private'));
  const old = process.cwd();
  process.chdir(spool);
  t.teardown(() => process.chdir(old));
  return spool;
}

/** A one-request flush-like server written with our codecs: hello, request, status, close. */
async function flushServer(t: ExecutionContext, path: string, received: string[]): Promise<void> {
  const open = new Set<Socket>();
  const server = createServer(async (sock) => {
    open.add(sock);
    const stream = new AsyncVStream(sock, sock, { path: 'client', timeout: 10 });
    await sendProtocolAnnouncement(stream, MAIL_ATTR_PROTO_FLUSH);
    const { count, values: [request, site] } = await attrScan0(stream, ATTR_FLAG_STRICT,
      [recvAttrStr('request'), recvAttrStr('site')]);
    received.push(`${count} ${request} ${site}`);
    attrPrint0(stream, 0, [sendAttrInt('status', count === 2 ? 0 : 3)]);
    await stream.close();
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => {
    for (const sock of open) sock.destroy();
    server.close();
  });
}

test.serial('client and server speak the flush exchange of the capture', async (t) => {
  queueDir(t);
  const received: string[] = [];
  await flushServer(t, 'public/flush', received);
  const result = await mailConnect('public', 'flush');
  if (result.stream === null) return t.fail(String(result.error));
  const stream = result.stream;
  t.is(stream.path, 'public/flush socket');
  t.is(stream.timeout, 3600);
  t.true(await checkProtocolAnnouncement(stream, MAIL_ATTR_PROTO_FLUSH));
  // The request postqueue -s sends, as captured.
  const capture = readTranscript('flush_postqueue_s_i_transcript.txt');
  const request = capture.find((l) => l.label[0] === 'recv')!.bytes;
  stream.write(request);
  const { count, values: [status] } = await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrInt('status')]);
  t.is(count, 1);
  t.is(status, 0);
  t.deepEqual(received, ['2 send_site example.com']);
  t.is(await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrInt('status')]).then((r) => r.count), 0, 'server closed');
  await stream.close();
});

test.serial('wrong protocol announcement is refused with Postfix\'s warning', async (t) => {
  queueDir(t);
  await flushServer(t, 'public/flush', []);
  const result = await mailConnect('public', 'flush');
  if (result.stream === null) return t.fail(String(result.error));
  const lines = startMsgCapture('test');
  try {
    t.false(await checkProtocolAnnouncement(result.stream, MAIL_ATTR_PROTO_SHOWQ));
  } finally {
    stopMsgCapture();
  }
  t.deepEqual(lines, ['test: warning: unexpected protocol queue_flush_protocol from public/flush socket (expected: mail_queue_list_protocol)\n']);
  result.stream.destroy();
});

test.serial('mail_connect reports why it failed', async (t) => {
  queueDir(t);
  writeFileSync('private/file', '');
  const missing = await mailConnect('private', 'nosuch');
  t.is(missing.error?.code, 'ENOENT');
  const notSocket = await mailConnect('private', 'file');
  t.is(notSocket.error?.code, 'ECONNREFUSED');
});

test.serial('mail_connect_wait retries until the service appears', async (t) => {
  queueDir(t);
  const lines = startMsgCapture('test');
  let stream: AsyncVStream;
  try {
    setTimeout(() => void flushServer(t, 'public/late', []), 150);
    stream = await mailConnectWait('public', 'late', 0.1);
  } finally {
    stopMsgCapture();
  }
  t.true(lines.length >= 1);
  t.is(lines[0], 'test: warning: connect #1 to subsystem public/late: No such file or directory\n');
  t.true(await checkProtocolAnnouncement(stream, MAIL_ATTR_PROTO_FLUSH));
  stream.destroy();
});

test.serial('mail_connect_wait gives up with a fatal error at the eleventh failure', async (t) => {
  const spool = queueDir(t);
  const module = pathToFileURL(join(DIST, 'src/global/mail_connect.js')).href;
  const msgModule = pathToFileURL(join(DIST, 'src/util/msg.js')).href;
  const script = `const { msgVstreamInit } = await import(${JSON.stringify(msgModule)});
    msgVstreamInit('test');
    const { mailConnectWait } = await import(${JSON.stringify(module)});
    await mailConnectWait('public', 'nosuch', 0.01);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: spool });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('latin1')));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(status, 1);
  const expected = Array.from({ length: 10 }, (_, n) => `test: warning: connect #${n + 1} to subsystem public/nosuch: No such file or directory\n`).join('')
    + 'test: fatal: connect #11 to subsystem public/nosuch: No such file or directory\n';
  t.is(stderr, expected);
});

test.serial('the announcement check passes on a connection closed before any byte, as in Postfix', async (t) => {
  queueDir(t);
  const server = createServer((sock) => sock.end());
  await new Promise<void>((resolve) => server.listen('private/mute', resolve));
  t.teardown(() => server.close());
  const result = await mailConnect('private', 'mute');
  if (result.stream === null) return t.fail(String(result.error));
  t.true(await checkProtocolAnnouncement(result.stream, MAIL_ATTR_PROTO_FLUSH));
  result.stream.destroy();
});

test.serial('a read that waits longer than the stream timeout fails with Postfix\'s warning', async (t) => {
  queueDir(t);
  const open = new Set<Socket>();
  const server = createServer((sock) => {
    open.add(sock);
    sock.write('protocol\0'); // then nothing
  });
  await new Promise<void>((resolve) => server.listen('private/slow', resolve));
  t.teardown(() => {
    for (const sock of open) sock.destroy();
    server.close();
  });
  const result = await mailConnect('private', 'slow');
  if (result.stream === null) return t.fail(String(result.error));
  result.stream.timeout = 0.2;
  const lines = startMsgCapture('test');
  try {
    const { count } = await attrScan0(result.stream, ATTR_FLAG_STRICT, [recvAttrStr('protocol')]);
    t.is(count, -1);
  } finally {
    stopMsgCapture();
  }
  t.true(result.stream.timedOut);
  t.deepEqual(lines, ['test: warning: timeout on private/slow socket while reading input attribute value\n']);
  result.stream.destroy();
});

test.serial('announcements as the captured services send them, cleanup\'s with its queue id', async (t) => {
  const { PassThrough } = await import('node:stream');
  const { attrPrintPlain } = await import('../../src/util/attr_print_plain.js');
  const hellos = new Map(readTranscript('service_probe_transcript.txt')
    .filter((l) => l.label[1] === 'HELLO' && l.label[0]!.includes('/') && l.bytes !== '')
    .map((l) => [l.label[0]!, l.bytes]));
  const PROTOCOLS: Record<string, string> = {
    'public/flush': MAIL_ATTR_PROTO_FLUSH, 'private/rewrite': 'trivial_rewrite_protocol', 'private/bounce': 'delivery_status_protocol',
    'private/verify': 'address_verification_prrotocol', 'private/proxymap': 'proxymap_protocol', 'private/scache': 'connection_cache_protocol',
    'private/tlsmgr': 'tlsmgr_protocol', 'private/smtp': 'delivery_request_protocol',
  };
  for (const [service, proto] of Object.entries(PROTOCOLS)) {
    const out = new PassThrough();
    const stream = new AsyncVStream(null, out, { path: service });
    t.true(await sendProtocolAnnouncement(stream, proto));
    t.is(out.read()?.toString('latin1'), hellos.get(service), service);
  }
  const anvil = new PassThrough();
  t.true(await sendProtocolAnnouncement(new AsyncVStream(null, anvil, { path: 'anvil' }), 'anvil_protocol', attrPrintPlain));
  t.is(anvil.read()?.toString('latin1'), hellos.get('private/anvil'));
  const cleanupHello = hellos.get('public/cleanup')!;
  const queueId = cleanupHello.split('\0')[3]!;
  const cleanup = new PassThrough();
  t.true(await sendProtocolAnnouncement(new AsyncVStream(null, cleanup, { path: 'cleanup' }), 'cleanup_protocol', undefined,
    [sendAttrStr('queue_id', queueId)]));
  t.is(cleanup.read()?.toString('latin1'), cleanupHello);
});
