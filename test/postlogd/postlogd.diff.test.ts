/*
 * Logging through postlogd, end to end, under a reference master(8): our clients' records
 * (postlog, postmap, postsuper) reach the reference postlogd and land in maillog_file as
 * the reference clients' records do, apart from time stamps and pids.
 */
import test, { type ExecutionContext } from 'ava';
import { requireRoot, runOurs, runReference, type RunResult } from '../helpers/diff.js';
import { CLIENTS, linesOf, startLogInstance, type Client, type LogInstance } from '../helpers/log_instance.js';
import { maskRecord } from '../helpers/maillog.js';

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
