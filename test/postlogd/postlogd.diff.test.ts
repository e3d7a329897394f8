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
import { DevLog } from '../helpers/devlog.js';
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

/*
 * Without maillog_file (after a reload that removed it, clients may still send records),
 * postlogd passes each record on to syslog under the name and pid that the record carries.
 * Our postlogd and the reference one, each under a reference master in its own /dev/log
 * namespace, must send the same syslog records.
 */
/*
 * Only records with all their fields: with fewer, the reference scans past the end of the
 * datagram into what an earlier one left in its buffer (undefined behaviour, not copied).
 */
const FORWARDED: Buffer[] = [
  Buffer.from('Nov 21 17:32:00 host postfix/smtpd[4711]: warning: a client record'),
  Buffer.from('Nov 21 17:32:00 host   spaced/name[12]:text after a colon'),
  Buffer.from('Nov 21 17:32:00 host nopid: text'),
  Buffer.from('Nov  1 17:32:00 host postfix/qmgr[77]: space-padded day'),
  Buffer.from('Nov 21 17:32:00 host p[5]: before a NUL\0after it'),
  Buffer.from('Nov 21 17:32:00 host p[6]: odd \x01\x7f\xe9 bytes', 'latin1'),
  Buffer.from(`Nov 21 17:32:00 host p[7]: ${'long '.repeat(600)}`),
];

async function forwardAll(t: ExecutionContext, daemonDir?: string): Promise<Array<{ priority: number; tag: string; pid: number | null; text: string }>> {
  const devlog = new DevLog(t);
  const inst = await startLogInstance(t, { syslog: devlog, daemonDir });
  const sock = unixDgramConnect(join(inst.spool, 'public', 'postlog'), BLOCKING);
  try {
    for (const d of FORWARDED) unixDgramSend(sock, d);
    unixDgramSend(sock, Buffer.from('Jan 01 00:00:00 host marker[1]: the end'));
  } finally {
    closeSync(sock);
  }
  const start = inst.syslog.findIndex((r) => r.text.startsWith('daemon started -- ')) + 1;
  for (let i = 0; i < 300 && !inst.pollSyslog().some((r) => r.tag === 'marker'); i++) await new Promise((r) => setTimeout(r, 100));
  const records = inst.syslog.slice(start);
  const end = records.findIndex((r) => r.tag === 'marker');
  t.true(end >= 0, 'the marker was passed on');
  // A record without its own pid gets postlogd's, which differs between the runs.
  const pids = new Set(FORWARDED.map((d) => /\[(\d+)\]/.exec(d.toString('latin1'))?.[1]).filter((p) => p !== undefined).map(Number));
  return records.slice(0, end).map((r) => ({ ...r, pid: r.pid !== null && pids.has(r.pid) ? r.pid : null }));
}

test('without maillog_file, ours passes records on to syslog as the reference does', async (t) => {
  if (!requireRoot(t)) return;
  const ref = await forwardAll(t);
  const ours = await forwardAll(t, daemonDirWithOurPostlogd(t));
  t.deepEqual(ours, ref);
  t.is(ref.length, FORWARDED.length);
});

test('maillog_file = /dev/stdout: ours writes to master\'s standard output as the reference does', async (t) => {
  if (!requireRoot(t)) return;
  const ref = await startLogInstance(t, { stdout: true });
  const ours = await startLogInstance(t, { stdout: true, daemonDir: daemonDirWithOurPostlogd(t) });
  const refLines = (await linesOf(ref, () => runReference('postlog', ['-c', ref.config, 'to stdout']))).map(maskRecord);
  const oursLines = (await linesOf(ours, () => runOurs('postlog', ['-c', ours.config, 'to stdout']))).map(maskRecord);
  t.deepEqual(oursLines, refLines);
  t.deepEqual(refLines, ['TIME mail postfix/postlog[PID]: to stdout']);
});

test('an idle postlogd outlives its watchdog (10 s) and still logs', async (t) => {
  if (!requireRoot(t)) return;
  const ref = await startLogInstance(t);
  const ours = await startLogInstance(t, { daemonDir: daemonDirWithOurPostlogd(t) });
  const refBefore = (await ref.waitForLines(0)).length;
  const oursBefore = (await ours.waitForLines(0)).length;
  await new Promise((resolve) => setTimeout(resolve, 13_000));
  const step = (inst: LogInstance) => () => runReference('postlog', ['-c', inst.config, 'after a pause']);
  await linesOf(ref, step(ref));
  await linesOf(ours, step(ours));
  // Everything since the start: a watchdog timeout would show (and master's complaint).
  const since = (inst: LogInstance, before: number) => inst.waitForLines(0).then((l) => l.slice(before).map(maskRecord).filter((x) => !/: marker \d+$/.test(x)));
  const refLines = await since(ref, refBefore);
  t.deepEqual(await since(ours, oursBefore), refLines);
  t.deepEqual(refLines, ['TIME mail postfix/postlog[PID]: after a pause']);
});
