/*
 * THE ACCEPTANCE TEST of the skeletons: the reference master runs our discard and error
 * (also as "retry") in place of its own, with the reference pickup, cleanup,
 * trivial-rewrite, qmgr and bounce/defer/trace. The same mail goes through an instance
 * with the reference discard/error and one with ours; the log lines, the queue left
 * behind and the defer log must be the same. Masked, because they differ from run to run:
 * queue ids, pids (not compared), the delay figures (whose format is checked) and the
 * recipient offset in the defer log.
 */
import test, { type ExecutionContext } from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { masterCfLines } from '../helpers/instance_layout.js';
import { MixedInstance } from '../helpers/ref_mixed.js';
import type { SyslogRecord } from '../helpers/devlog.js';

const MASTER_CF = masterCfLines('pickup', 'cleanup', 'qmgr', 'rewrite', 'bounce', 'defer', 'trace', 'discard', 'error', 'retry');

const TRANSPORT = [
  'discard.test   discard:',
  'dsn.test       discard:2.7.0 dropped by policy',
  'sender.test    discard:sender side',
  'error.test     error:5.1.1 mailbox unavailable',
  'retry.test     retry:4.4.1 try again later',
  '',
].join('\n');

const CANONICAL = 'old@discard.test new@discard.test\n';

const DELAYS = /, delay=\d+(\.\d+)?, delays=\d+(\.\d+)?\/\d+(\.\d+)?\/\d+(\.\d+)?\/\d+(\.\d+)?, /;

/** What varies between runs: queue ids and the delay figures (after checking their form). */
function mask(text: string): string {
  return text.replace(/\b[0-9A-F]{8,12}\b/g, 'QID').replace(DELAYS, ', delay=D, delays=D, ');
}

const message = (to: string) => `From: s@sender.test\nTo: ${to}\nSubject: skeleton test\n\nbody\n`;

interface RunResult {
  lines: string[];
  agentLines: string[];
  problems: string[];
  deferred: string[];
  deferLog: string;
  leftover: string[];
}

async function run(t: ExecutionContext, ours: string[], maillog: boolean): Promise<RunResult> {
  const inst = new MixedInstance(t, {
    ours,
    maillog,
    mainCf: [
      'transport_maps = texthash:$config_directory/transport',
      'recipient_canonical_maps = texthash:$config_directory/canonical',
      'delay_warning_time = 0', 'bounce_queue_lifetime = 5d', 'maximal_queue_lifetime = 5d',
    ],
    masterCf: maillog ? [...MASTER_CF, ...masterCfLines('postlog')] : MASTER_CF,
    files: { transport: TRANSPORT, canonical: CANONICAL },
  });
  await inst.start();
  await inst.sendmail(['-f', 's@sender.test', 'a@discard.test', 'b@discard.test'], message('a@discard.test'));
  await inst.sendmail(['-f', 's@sender.test', 'old@discard.test'], message('old@discard.test'));
  await inst.sendmail(['-f', 's@sender.test', '"john doe"@discard.test'], message('john'));
  await inst.sendmail(['-f', 's@sender.test', 'x@dsn.test'], message('x@dsn.test'));
  await inst.sendmail(['-f', 's@sender.test', 'u@error.test'], message('u@error.test'));
  await inst.sendmail(['-f', 's@sender.test', 'r@retry.test'], message('r@retry.test'));
  await inst.sendmail(['-bv', '-f', 's@sender.test', 'v@discard.test'], message('v@discard.test'));

  /*
   * Agent lines: a, b, new (orig_to old), "john doe", x@dsn.test, v (deliverable), the
   * non-delivery notice and the -bv report to s@sender.test (8 discard); u bounced and
   * r deferred (2 error).
   */
  const isAgent = (r: SyslogRecord) => (r.tag === 'postfix/discard' || r.tag === 'postfix/error') && r.text.includes(': to=<');
  const done = await inst.waitLog((records) => records.filter(isAgent).length >= 10
    && inst.queueFiles('active').length === 0 && inst.queueFiles('incoming').length === 0
    && inst.queueFiles('deferred').length === 1);
  const records = inst.log();
  t.true(done, records.map((r) => `${r.tag}[${r.pid}]: ${r.text}`).join('\n'));
  for (const r of records.filter(isAgent)) t.regex(r.text, DELAYS, r.text);

  const deferred = inst.queueFiles('deferred');
  const deferLog = deferred.length === 1
    ? readFileSync(join(inst.spool, 'defer', deferred[0]![0]!, deferred[0]!), 'latin1')
    : '';
  return {
    agentLines: records.filter(isAgent).map((r) => `${r.tag}: ${mask(r.text)}`).sort(),
    lines: records.filter((r) => /status=|notification|: removed$/.test(r.text)).map((r) => `${r.tag}: ${mask(r.text)}`).sort(),
    problems: records.filter((r) => /^(warning|error|fatal|panic): /.test(r.text)).map((r) => `${r.tag}: ${mask(r.text)}`).sort(),
    deferred: deferred.map(() => 'QID'),
    deferLog,
    leftover: [...inst.queueFiles('active'), ...inst.queueFiles('incoming'), ...inst.queueFiles('maildrop')],
  };
}

for (const maillog of [false, true]) {
  test(`the reference master runs our discard and error (${maillog ? 'maillog_file' : 'syslog'}): same log lines, queue and defer log`, async (t) => {
    const ref = await run(t, [], maillog);
    const ours = await run(t, ['discard', 'error'], maillog);
    t.deepEqual(ours.agentLines, ref.agentLines);
    t.deepEqual(ours.lines, ref.lines);
    t.deepEqual(ours.problems, ref.problems);
    t.deepEqual(ours.deferred, ref.deferred);
    // The recipient's offset depends on the lengths of the time stamps before it.
    t.is(ours.deferLog.replace(/offset=\d+/, 'offset=N'), ref.deferLog.replace(/offset=\d+/, 'offset=N'));
    t.deepEqual(ours.leftover, []);
    // The reference itself did what the test expects (so that the comparison means something).
    t.true(ref.agentLines.some((l) => l.includes('to=<new@discard.test>, orig_to=<old@discard.test>, relay=none')), ref.agentLines.join('\n'));
    t.true(ref.agentLines.some((l) => l.includes('to=<"john doe"@discard.test>')));
    t.true(ref.agentLines.some((l) => l.includes('dsn=5.1.1, status=bounced (mailbox unavailable)')));
    t.true(ref.agentLines.some((l) => l.includes('dsn=4.4.1, status=deferred (try again later)')));
    t.true(ref.agentLines.some((l) => l.includes('dsn=2.7.0, status=sent (dropped by policy)')));
    t.true(ref.agentLines.some((l) => l.includes('status=deliverable')));
    t.true(ref.lines.some((l) => l.startsWith('postfix/bounce: QID: sender non-delivery notification: QID')), ref.lines.join('\n'));
  });
}
