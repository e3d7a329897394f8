/*
 * agent_request - run a delivery agent in stand-alone mode (-S, the client on standard
 * input and output, a socket here) on a delivery request that the test writes, ours and
 * the reference side by side: the bytes each agent sends back, its -V diagnostics and log
 * lines, and what it does to the queue file active/<QUEUE_ID> (recipients marked done).
 * Masked: the delay figures (after a check of their form). No other service runs.
 */
import type { ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './diff.js';
import { OUR_DAEMON_DIR, REF_DAEMON_DIR } from './paths.js';
import { ATTR_FLAG_NONE, sendAttrInt, sendAttrLong, sendAttrStr, type SendAttr } from '../../src/util/attr.js';
import { encodeAttr0 } from '../../src/util/attr_print0.js';
import { duplexPipe } from '../../src/util/duplex_pipe.js';
import { libc } from '../../src/util/sys_libc.js';
import { sendMsgStats, msgStatsInit } from '../../src/global/msg_stats.js';
import { sendRecipient, type Recipient } from '../../src/global/recipient_list.js';

export const QUEUE_ID = '3F1A21C0123';

export interface Outcome {
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

export function request(flags: number, nexthop: string, rcpts: Recipient[], queueId = QUEUE_ID): string {
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

export const rcpt = (address: string, offset: number, orig = address): Recipient =>
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

export async function compareAgents(t: ExecutionContext, daemon: string, args: string[], input: string, queueFile = true, hello = true) {
  const [ours, ref] = await Promise.all([
    runAgent(t, OUR_DAEMON_DIR, daemon, args, input, queueFile),
    runAgent(t, REF_DAEMON_DIR, daemon, args, input, queueFile),
  ]);
  if (hello) t.regex(ref.reply, /^protocol\0delivery_request_protocol\0\0/);
  for (const r of [ours, ref]) r.stderr = r.stderr.replace(DELAYS, ', delay=D, delays=D, ');
  t.deepEqual(ours, ref);
  return ref;
}
