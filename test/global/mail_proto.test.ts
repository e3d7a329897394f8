/*
 * Our attribute protocol against live reference programs, both ways:
 * - our client talks to the reference trivial-rewrite and showq daemons, run stand-alone
 *   (-S: one session on standard input and output) under a private configuration;
 * - the reference postqueue talks to showq and flush servers written with our codecs.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  MAIL_ATTR_ADDR, MAIL_ATTR_FLAGS, MAIL_ATTR_NEXTHOP, MAIL_ATTR_PROTO_FLUSH, MAIL_ATTR_PROTO_SHOWQ,
  MAIL_ATTR_RECIP, MAIL_ATTR_REQ, MAIL_ATTR_RULE, MAIL_ATTR_SENDER,
  MAIL_ATTR_QUEUEID, MAIL_ATTR_SITE, MAIL_ATTR_STATUS, MAIL_ATTR_TRANSPORT, checkProtocolAnnouncement, sendProtocolAnnouncement,
} from '../../src/global/mail_proto.js';
import {
  ATTR_FLAG_MORE, ATTR_FLAG_NONE, ATTR_FLAG_STRICT, recvAttrInt, recvAttrLong, recvAttrStr, sendAttrInt,
  sendAttrLong, sendAttrStr, type RecvAttr, type SendAttr,
} from '../../src/util/attr.js';
import { attrPrint0, encodeAttr0 } from '../../src/util/attr_print0.js';
import { attrPrintPlain, encodeAttrPlain } from '../../src/util/attr_print_plain.js';
import { attrScan0, attrScanMore0 } from '../../src/util/attr_scan0.js';
import { attrScanPlain } from '../../src/util/attr_scan_plain.js';
import { AsyncVStream } from '../../src/util/vstream_async.js';
import { readCapture, readTranscript } from '../helpers/captures.js';
import { requireRoot, runReference } from '../helpers/diff.js';
import { tempInstance, type Instance } from '../helpers/endpoints.js';
import { REF_DAEMON_DIR } from '../helpers/paths.js';

const QUEUE_DIRS = ['public', 'private', 'maildrop', 'incoming', 'active', 'deferred', 'hold', 'pid'];

function instance(t: ExecutionContext, extra = ''): Instance {
  return tempInstance(t, `myhostname = host.example\nmydomain = example\n${extra}`, QUEUE_DIRS);
}

/** A reference daemon in stand-alone mode; our stream on its stdin/stdout; raw output kept. */
function standAlone(t: ExecutionContext, inst: Instance, daemon: string): { stream: AsyncVStream; raw: Buffer[]; child: ChildProcessWithoutNullStreams } {
  const child = spawn(join(REF_DAEMON_DIR, daemon), ['-S'], {
    env: { MAIL_CONFIG: inst.config, PATH: '/usr/bin:/bin', TZ: 'UTC', LANG: 'C' }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  t.teardown(() => child.kill());
  const raw: Buffer[] = [];
  const tee = new PassThrough();
  child.stdout.on('data', (b: Buffer) => {
    raw.push(b);
    tee.write(b);
  });
  child.stdout.on('end', () => tee.end());
  child.stdin.on('error', () => undefined);
  return { stream: new AsyncVStream(tee, child.stdin, { path: daemon, timeout: 30 }), raw, child };
}

/** One request to the reference trivial-rewrite (stand-alone mode serves one request and exits). */
async function askTrivialRewrite<const T extends readonly RecvAttr[]>(t: ExecutionContext, inst: Instance,
  request: readonly SendAttr[], wants: T) {
  const { stream, raw } = standAlone(t, inst, 'trivial-rewrite');
  attrPrint0(stream, ATTR_FLAG_NONE, request);
  const reply = await attrScan0(stream, ATTR_FLAG_STRICT, wants);
  t.is(await attrScanMore0(stream), -1, 'nothing follows');
  return { ...reply, raw: Buffer.concat(raw).toString('latin1') };
}

test('our client and the reference trivial-rewrite: rewrite, resolve, verify, an unknown request', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t, 'relay_domains = relay.example\n');

  const rewrite = await askTrivialRewrite(t, inst, [sendAttrStr(MAIL_ATTR_REQ, 'rewrite'), sendAttrStr(MAIL_ATTR_RULE, 'local'),
    sendAttrStr(MAIL_ATTR_ADDR, 'user')], [recvAttrInt(MAIL_ATTR_FLAGS), recvAttrStr(MAIL_ATTR_ADDR)]);
  t.is(rewrite.count, 2);
  t.is(rewrite.values[1], 'user@host.example');
  t.is(encodeAttr0(ATTR_FLAG_NONE, [sendAttrInt(MAIL_ATTR_FLAGS, rewrite.values[0]), sendAttrStr(MAIL_ATTR_ADDR, rewrite.values[1])]),
    rewrite.raw, 'our encoding of the reply is what the daemon sent');

  const resolveWants = [recvAttrInt(MAIL_ATTR_FLAGS), recvAttrStr(MAIL_ATTR_TRANSPORT), recvAttrStr(MAIL_ATTR_NEXTHOP),
    recvAttrStr(MAIL_ATTR_RECIP), recvAttrInt(MAIL_ATTR_FLAGS)] as const;
  const classes: number[] = [];
  for (const [request, address] of [['resolve', 'root@localhost'], ['resolve', 'bob@relay.example'], ['verify', 'x@elsewhere.example']] as const) {
    const reply = await askTrivialRewrite(t, inst, [sendAttrStr(MAIL_ATTR_REQ, request), sendAttrStr(MAIL_ATTR_SENDER, ''),
      sendAttrStr(MAIL_ATTR_ADDR, address)], resolveWants);
    t.is(reply.count, 5, `${request} ${address}`);
    const [serverFlags, transport, nexthop, recipient, flags] = reply.values;
    t.is(recipient, address);
    classes.push(flags & (256 | 2048 | 4096));
    t.is(encodeAttr0(ATTR_FLAG_NONE, [sendAttrInt(MAIL_ATTR_FLAGS, serverFlags), sendAttrStr(MAIL_ATTR_TRANSPORT, transport),
      sendAttrStr(MAIL_ATTR_NEXTHOP, nexthop), sendAttrStr(MAIL_ATTR_RECIP, recipient), sendAttrInt(MAIL_ATTR_FLAGS, flags)]), reply.raw);
  }
  // Resolve classes (protocols.md 4.3): local 256, relay 2048, default 4096.
  t.deepEqual(classes, [256, 2048, 4096]);

  // An unknown request makes the server hang up without a reply.
  const bogus = await askTrivialRewrite(t, inst, [sendAttrStr(MAIL_ATTR_REQ, 'bogus')], [recvAttrInt(MAIL_ATTR_FLAGS)]);
  t.is(bogus.count, 0);
  t.is(bogus.raw, '');
});

test('our client and the reference showq: announcement, empty queue, end of stream', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t);
  const { stream, raw } = standAlone(t, inst, 'showq');
  t.true(await checkProtocolAnnouncement(stream, MAIL_ATTR_PROTO_SHOWQ));
  t.is(await attrScanMore0(stream), 0, 'no messages');
  t.is(await attrScanMore0(stream), -1, 'then the server closes');
  t.is(Buffer.concat(raw).toString('latin1'), readTranscript('service_probe_transcript.txt')
    .find((l) => l.label.join(' ') === 'public/showq HELLO')!.bytes);
});

/**
 * Serve each connection on a UNIX socket with our stream; the handler gets the stream.
 * Everything each client sent is kept in received (one string per connection).
 */
async function serve(t: ExecutionContext, path: string, handler: (stream: AsyncVStream) => Promise<void>): Promise<string[]> {
  const open = new Set<Socket>();
  const received: string[] = [];
  const server = createServer((sock) => {
    open.add(sock);
    const index = received.push('') - 1;
    const tee = new PassThrough();
    sock.on('data', (b: Buffer) => {
      received[index] += b.toString('latin1');
      tee.write(b);
    });
    sock.on('end', () => tee.end());
    const stream = new AsyncVStream(tee, sock, { path: 'client', timeout: 30 });
    void handler(stream).finally(() => stream.close());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => {
    for (const sock of open) sock.destroy();
    server.close();
  });
  return received;
}

test('the reference postqueue -p reads a showq stream our server writes', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t, 'compatibility_level = 3.6\n'); // as in the capture: UTF-8 shown as is
  // The messages of the fake-stream capture, decoded, then written again through our stream.
  const capture = new AsyncVStream(PassThrough.from([Buffer.from(readCapture('showq_fake_stream.bin'), 'latin1')]), null, { path: 'capture' });
  t.true(await checkProtocolAnnouncement(capture, MAIL_ATTR_PROTO_SHOWQ));
  const messages: { head: readonly [string, string, number, number, number, string]; rcpts: (readonly [string, string])[] }[] = [];
  while (await attrScanMore0(capture) > 0) {
    const head = await attrScan0(capture, ATTR_FLAG_STRICT | ATTR_FLAG_MORE, [recvAttrStr('queue_name'), recvAttrStr('queue_id'),
      recvAttrLong('time'), recvAttrLong('size'), recvAttrInt('forced_expire'), recvAttrStr('sender')]);
    const rcpts: (readonly [string, string])[] = [];
    while (await attrScanMore0(capture) > 0) {
      rcpts.push((await attrScan0(capture, ATTR_FLAG_STRICT | ATTR_FLAG_MORE, [recvAttrStr(MAIL_ATTR_RECIP), recvAttrStr('reason')])).values);
    }
    messages.push({ head: head.values, rcpts });
  }
  t.is(messages.length, 3);
  const sent: string[] = [];
  await serve(t, join(inst.spool, 'public/showq'), async (stream) => {
    await sendProtocolAnnouncement(stream, MAIL_ATTR_PROTO_SHOWQ);
    for (const { head: [queue, id, time, size, expire, sender], rcpts } of messages) {
      attrPrint0(stream, ATTR_FLAG_MORE, [sendAttrStr('queue_name', queue), sendAttrStr('queue_id', id), sendAttrLong('time', time),
        sendAttrLong('size', size), sendAttrInt('forced_expire', expire), sendAttrStr('sender', sender)]);
      for (const [rcpt, reason] of rcpts) attrPrint0(stream, ATTR_FLAG_MORE, [sendAttrStr(MAIL_ATTR_RECIP, rcpt), sendAttrStr('reason', reason)]);
      attrPrint0(stream, ATTR_FLAG_NONE, []);
    }
    attrPrint0(stream, ATTR_FLAG_NONE, []);
    sent.push('done');
  });
  const ref = await runReference('postqueue', ['-c', inst.config, '-p']);
  t.deepEqual(sent, ['done']);
  t.is(ref.stderr, '');
  t.is(ref.status, 0);
  t.is(ref.stdout, readCapture('postqueue_p_from_fake_stream.txt'));
});

test('the reference postqueue -s and -i talk to a flush server written with our codecs', async (t) => {
  if (!requireRoot(t)) return;
  const inst = instance(t, 'fast_flush_domains = example.com\n');
  const requests: string[] = [];
  const received = await serve(t, join(inst.spool, 'public/flush'), async (stream) => {
    await sendProtocolAnnouncement(stream, MAIL_ATTR_PROTO_FLUSH);
    const { values: [request] } = await attrScan0(stream, ATTR_FLAG_STRICT | ATTR_FLAG_MORE, [recvAttrStr(MAIL_ATTR_REQ)]);
    const argument = request === 'send_site' ? MAIL_ATTR_SITE : MAIL_ATTR_QUEUEID;
    const { count, values: [value] } = await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrStr(argument)]);
    requests.push(`${request} ${value}`);
    attrPrint0(stream, ATTR_FLAG_NONE, [sendAttrInt(MAIL_ATTR_STATUS, count === 1 ? 0 : 3)]);
  });
  const site = await runReference('postqueue', ['-c', inst.config, '-s', 'example.com']);
  const id = await runReference('postqueue', ['-c', inst.config, '-i', '4XyZ1k2Lm3']);
  t.deepEqual([site, id].map((r) => [r.status, r.stdout, r.stderr]), [[0, '', ''], [0, '', '']]);
  t.deepEqual(requests, ['send_site example.com', 'send_file 4XyZ1k2Lm3']);
  // Byte for byte what the reference postqueue sent to the fake server of the capture.
  t.deepEqual(received, readTranscript('flush_postqueue_s_i_transcript.txt').filter((l) => l.label[0] === 'recv').map((l) => l.bytes));
});

interface DaemonExchange {
  daemon: string;
  plain?: boolean;
  request: SendAttr[];
  reply: RecvAttr[];
}

const EXCHANGES: DaemonExchange[] = [
  { daemon: 'anvil', plain: true, request: [sendAttrStr(MAIL_ATTR_REQ, 'lookup'), sendAttrStr('ident', 'smtp:192.0.2.9')],
    reply: ['status', 'count', 'rate', 'mail', 'rcpt', 'newtls', 'auth'].map(recvAttrInt) },
  { daemon: 'anvil', plain: true, request: [sendAttrStr(MAIL_ATTR_REQ, 'connect'), sendAttrStr('ident', 'smtp:192.0.2.9')],
    reply: ['status', 'count', 'rate'].map(recvAttrInt) },
  { daemon: 'anvil', plain: true, request: [sendAttrStr(MAIL_ATTR_REQ, 'bogus'), sendAttrStr('ident', 'x')], reply: [recvAttrInt('status')] },
  { daemon: 'scache', request: [sendAttrStr(MAIL_ATTR_REQ, 'find_dest'), sendAttrStr('label', 'smtp:example.net')],
    reply: [recvAttrInt('status'), recvAttrStr('property'), recvAttrStr('property')] },
  { daemon: 'scache', request: [sendAttrStr(MAIL_ATTR_REQ, 'bogus')], reply: [recvAttrInt('status')] },
  { daemon: 'proxymap', request: [sendAttrStr(MAIL_ATTR_REQ, 'open'), sendAttrStr('table', 'static:hello'), sendAttrInt('flags', 0)],
    reply: [recvAttrInt('status'), recvAttrInt('flags')] },
];

for (const ex of EXCHANGES) {
  test(`our client and the reference ${ex.daemon}: ${(ex.request[0] as { value: string }).value}`, async (t) => {
    if (!requireRoot(t)) return;
    const inst = instance(t);
    const { stream, raw, child } = standAlone(t, inst, ex.daemon);
    const exited = new Promise((resolve) => child.on('close', resolve));
    const [print, scan, encode] = ex.plain ? [attrPrintPlain, attrScanPlain, encodeAttrPlain] as const : [attrPrint0, attrScan0, encodeAttr0] as const;
    print(stream, ATTR_FLAG_NONE, ex.request);
    const reply = await scan(stream, ATTR_FLAG_STRICT, ex.reply);
    t.is(reply.count, ex.reply.length);
    const again = encode(ATTR_FLAG_NONE, ex.reply.map((want, n) => {
      const value = (reply.values as unknown[])[n];
      const name = (want as { name: string }).name;
      return typeof value === 'number' ? sendAttrInt(name, value) : sendAttrStr(name, value as string);
    }));
    t.is(await attrScanMore0(stream), -1, 'stand-alone mode: one request, then the daemon is gone');
    await exited;
    t.is(Buffer.concat(raw).toString('latin1'), again, 'our encoding of the reply is what the daemon sent');
  });
}
