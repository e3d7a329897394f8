/*
 * Logging through postlogd, end to end, under a reference master(8): our clients' records
 * (postlog, postmap, postsuper) reach the reference postlogd and land in maillog_file as
 * the reference clients' records do, apart from time stamps and pids; and our postlogd,
 * run by the same reference master from a daemon directory of symlinks, writes what the
 * reference postlogd writes, for both sides' clients and for raw datagrams of any shape.
 */
import test, { type ExecutionContext } from 'ava';
import { closeSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference, type RunResult } from '../helpers/diff.js';
import { CLIENTS, daemonDirWithOurPostlogd, linesOf, startLogInstance, type Client, type LogInstance } from '../helpers/log_instance.js';
import { maskRecord } from '../helpers/maillog.js';
import { BLOCKING } from '../../src/util/poll_fd.js';
import { unixDgramConnect, unixDgramSend } from '../../src/util/unix_dgram_connect.js';

/** Run one client of each side, collecting what each adds to the log. */
async function compareClient(t: ExecutionContext, inst: LogInstance, c: Client): Promise<void> {
  let ref: RunResult | undefined;
  let ours: RunResult | undefined;
  const refLines = (await linesOf(inst, async () => (ref = await runReference(c.name, c.args(inst), c.opts)))).map(maskRecord);
  const oursLines = (await linesOf(inst, async () => (ours = await runOurs(c.name, c.args(inst), c.opts)))).map(maskRecord);
  const what = `${c.name} ${c.args(inst).join(' ')}`;
  t.deepEqual(ours, ref, what);
  t.deepEqual(oursLines, refLines, what);
  t.true(refLines.length > 0, `${what}: the reference logged`);
}

test('the reference postlogd logs our clients as it logs its own', async (t) => {
  if (!requireRoot(t)) return;
  const inst = await startLogInstance(t);
  for (const c of CLIENTS) await compareClient(t, inst, c);
});

/* Raw datagrams, as a client might send them: sizes around the 4096-byte read, odd bytes. */
const DATAGRAMS: Buffer[] = [
  Buffer.from('Jan 01 00:00:00 host prog[1]: plain'),
  Buffer.from('no time stamp at all'),
  Buffer.from(''),
  Buffer.from('with\0a NUL byte and \x01\x7f\xff bytes', 'latin1'),
  Buffer.from('trailing newline\n'),
  Buffer.alloc(4095, 'a'),
  Buffer.alloc(4096, 'b'),
  Buffer.alloc(5000, 'c'),
];

async function sendRaw(inst: LogInstance): Promise<string[]> {
  return linesOf(inst, async () => {
    const sock = unixDgramConnect(join(inst.spool, 'public', 'postlog'), BLOCKING);
    try {
      for (const d of DATAGRAMS) unixDgramSend(sock, d);
    } finally {
      closeSync(sock);
    }
  });
}

test('postlogd: ours writes raw datagrams as the reference does', async (t) => {
  if (!requireRoot(t)) return;
  const ref = await startLogInstance(t);
  const ours = await startLogInstance(t, { daemonDir: daemonDirWithOurPostlogd(t) });
  const refLines = await sendRaw(ref);
  const oursLines = await sendRaw(ours);
  t.deepEqual(oursLines, refLines);
  t.true(refLines.length >= DATAGRAMS.length);
});

test('our postlogd logs our clients and the reference clients as the reference postlogd does', async (t) => {
  if (!requireRoot(t)) return;
  const ref = await startLogInstance(t);
  const ours = await startLogInstance(t, { daemonDir: daemonDirWithOurPostlogd(t) });
  for (const c of CLIENTS) {
    for (const run of [runReference, runOurs]) {
      const refLines = (await linesOf(ref, () => run(c.name, c.args(ref), c.opts))).map(maskRecord);
      const oursLines = (await linesOf(ours, () => run(c.name, c.args(ours), c.opts))).map(maskRecord);
      // The two instances differ in their directory names only.
      const strip = (lines: string[], inst: LogInstance) => lines.map((l) => l.split(inst.dir).join('DIR'));
      t.deepEqual(strip(oursLines, ours), strip(refLines, ref), `${c.name} ${c.args(ref).join(' ')}`);
    }
  }
});
