/*
 * discard and error in stand-alone mode (-S, the client on standard input and output, a
 * socket here), ours against the reference, with delivery requests written by the test:
 * the bytes each agent sends back, its -V diagnostics and log lines, and what it does to
 * the queue file (recipients marked done). Masked: the delay figures (after a check of
 * their form). No bounce or defer service runs, so the error agent's fallbacks show too.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import { OUR_DAEMON_DIR, REF_DAEMON_DIR } from '../helpers/paths.js';
import { ATTR_FLAG_NONE, sendAttrInt, sendAttrLong, sendAttrStr, type SendAttr } from '../../src/util/attr.js';
import { encodeAttr0 } from '../../src/util/attr_print0.js';
import { duplexPipe } from '../../src/util/duplex_pipe.js';
import { libc } from '../../src/util/sys_libc.js';
import { sendMsgStats, msgStatsInit } from '../../src/global/msg_stats.js';
import { sendRecipient, type Recipient } from '../../src/global/recipient_list.js';

const QUEUE_ID = '3F1A21C0123';

interface Outcome {
  reply: string;
  stderr: string;
  status: number | string;
  queueFile: string;
}

/** A queue directory with active/<QUEUE_ID>: 'R' bytes at the recipient offsets. */
function makeQueue(t: ExecutionContext, queueFile: boolean): { config: string; spool: string } {
  const dir = tempDir(t, 'pf-standalone-');
  const config = join(dir, 'etc');
  const spool = join(dir, 'spool');
  mkdirSync(config);
  mkdirSync(join(spool, 'active'), { recursive: true });
  writeFileSync(join(config, 'main.cf'), `compatibility_level = 3.6\nqueue_directory = ${spool}\n`);
  if (queueFile) {
    const path = join(spool, 'active', QUEUE_ID);
    writeFileSync(path, 'xxxxxxxxxxRxxxxxxxxxRxxxxxxxxx');
    chmodSync(path, 0o700);
  }
  return { config, spool };
}

function request(flags: number, nexthop: string, rcpts: Recipient[], queueId = QUEUE_ID): string {
  const now = Math.floor(Date.now() / 1000);
  const stats = msgStatsInit();
  stats.incoming_arrival = { sec: now - 2, usec: 250000 };
  stats.active_arrival = { sec: now - 1, usec: 500000 };
  const attrs: SendAttr[] = [
    sendAttrInt('flags', flags), sendAttrStr('queue_name', 'active'), sendAttrStr('queue_id', queueId),
    sendAttrLong('offset', 0), sendAttrLong('size', 30), sendAttrStr('nexthop', nexthop), sendAttrStr('encoding', ''),
    sendAttrInt('smtputf8', 0), sendAttrStr('sender', 'alice@example.com'), sendAttrStr('envelope_id', ''),
    sendAttrInt('ret_flags', 0), sendMsgStats(stats), sendAttrStr('log_client_name', ''),
    sendAttrStr('log_client_address', ''), sendAttrStr('log_client_port', ''), sendAttrStr('log_protocol_name', ''),
    sendAttrStr('log_helo_name', ''), sendAttrStr('sasl_method', ''), sendAttrStr('sasl_username', ''),
    sendAttrStr('sasl_sender', ''), sendAttrStr('log_ident', ''), sendAttrStr('rewrite_context', 'local'),
    sendAttrInt('recipient_count', rcpts.length),
  ];
  return encodeAttr0(ATTR_FLAG_NONE, attrs) + rcpts.map((r) => encodeAttr0(ATTR_FLAG_NONE, [sendRecipient(r)])).join('');
}

const rcpt = (address: string, offset: number, orig = address): Recipient =>
  ({ offset, dsn_orcpt: `rfc822;${orig}`, dsn_notify: 0, orig_addr: orig, address });

/** Run one agent with -S on a socket; send the request, read until the final status. */
async function runAgent(t: ExecutionContext, dir: string, daemon: string, args: string[], input: string, queueFile: boolean): Promise<Outcome> {
  const { config, spool } = makeQueue(t, queueFile);
  void dir;
  const [ours, theirs] = duplexPipe();
  const child = spawn(join(dir, daemon), ['-S', '-V', ...args], {
    argv0: daemon, cwd: spool, stdio: [theirs, theirs, 'pipe'],
    env: { PATH: '/usr/bin:/bin', LANG: 'C', TZ: 'UTC', MAIL_CONFIG: config },
  });
  libc().close(theirs);
  let stderr = '';
  child.stderr!.setEncoding('latin1').on('data', (s: string) => (stderr += s));
  const closed = new Promise<number | string>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const sock = new Socket({ fd: ours, readable: true, writable: true });
  sock.on('error', () => undefined);
  let reply = '';
  const finalSeen = new Promise<void>((resolve) => {
    sock.on('data', (b: Buffer) => {
      reply += b.toString('latin1');
      // The hello, then the final reply ending with "status\0<n>\0\0".
      if (/\0status\0-?\d+\0\0$/.test(reply)) resolve();
    });
    sock.on('close', () => resolve());
  });
  sock.write(Buffer.from(input, 'latin1'));
  await Promise.race([finalSeen, closed]);
  sock.end();
  const status = await closed;
  sock.destroy();
  let queueText = '';
  try {
    queueText = readFileSync(join(spool, 'active', QUEUE_ID), 'latin1');
  } catch {
    queueText = '(none)';
  }
  return { reply, stderr, status, queueFile: queueText };
}

const DELAYS = /, delay=\d+(\.\d+)?, delays=\d+(\.\d+)?\/\d+(\.\d+)?\/\d+(\.\d+)?\/\d+(\.\d+)?, /g;

async function compare(t: ExecutionContext, daemon: string, args: string[], input: string, queueFile = true, hello = true) {
  const [ours, ref] = await Promise.all([
    runAgent(t, OUR_DAEMON_DIR, daemon, args, input, queueFile),
    runAgent(t, REF_DAEMON_DIR, daemon, args, input, queueFile),
  ]);
  if (hello) t.regex(ref.reply, /^protocol\0delivery_request_protocol\0\0/);
  for (const r of [ours, ref]) r.stderr = r.stderr.replace(DELAYS, ', delay=D, delays=D, ');
  t.deepEqual(ours, ref);
  return ref;
}

test('discard: every recipient sent, marked done in the queue file', async (t) => {
  const ref = await compare(t, 'discard', [], request(1, 'example.net', [rcpt('bob@example.net', 10), rcpt('"c d"@example.net', 20, 'carol@example.net')]));
  t.regex(ref.stderr, /to=<bob@example.net>, relay=none, delay=D, delays=D, dsn=2.0.0, status=sent \(example.net\)/);
  t.is(ref.queueFile, 'xxxxxxxxxxDxxxxxxxxxDxxxxxxxxx');
});

test('discard: without DEL_REQ_FLAG_SUCCESS the queue file is left alone; a status code in the next hop', async (t) => {
  await compare(t, 'discard', [], request(0, '2.7.1 spam, dropped', [rcpt('bob@example.net', 10)]));
});

test('discard: a missing queue file gives status -1 (defer)', async (t) => {
  await compare(t, 'discard', [], request(1, 'example.net', [rcpt('bob@example.net', 10)]), false);
});

test('discard: a request without recipients', async (t) => {
  await compare(t, 'discard', [], request(1, 'example.net', []));
});

test('discard: a malformed request', async (t) => {
  await compare(t, 'discard', [], 'flags\x001\x00queue_name\x00active\x00\x00');
});

test('discard: an unexpected command-line argument', async (t) => {
  await compare(t, 'discard', ['surplus'], request(1, 'example.net', [rcpt('bob@example.net', 10)]), true, false);
});

test('error: bounce without a bounce service falls back to defer, which also fails', async (t) => {
  const ref = await compare(t, 'error', ['-n', 'error'], request(1, '5.1.1 no such user', [rcpt('bob@example.net', 10)]));
  t.regex(ref.stderr, /warning: connect to private\/bounce: No such file or directory\n/);
  t.regex(ref.stderr, /dsn=4\.3\.0, status=deferred \(bounce or trace service failure\)/);
});

test('retry: defer without a defer service', async (t) => {
  await compare(t, 'error', ['-n', 'retry'], request(1, 'busy', [rcpt('bob@example.net', 10), rcpt('x@example.org', 20)]));
});

test('error: a wrong status class in the next hop is corrected', async (t) => {
  await compare(t, 'error', ['-n', 'retry'], request(1, '5.1.1 not a deferral', [rcpt('bob@example.net', 10)]));
});

test('error: a service name other than error or retry', async (t) => {
  await compare(t, 'error', ['-n', 'other'], request(1, 'x', [rcpt('bob@example.net', 10)]), true, true);
});
