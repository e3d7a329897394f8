/*
 * postcat, ours and the reference's, on maildrop files that the reference sendmail and
 * postdrop write during the test (one per message of test/helpers/queue_messages.ts).
 */
import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runBoth, runReference, type RunResult } from '../helpers/diff.js';
import { SPECS, privateInstance } from '../helpers/queue_messages.js';
import { startCleanupInstance, submitAll } from '../helpers/ref_instance.js';
import { withoutConfigChatter } from '../helpers/queue_vectors.js';

const clean = (r: RunResult): RunResult => ({ ...r, stderr: withoutConfigChatter(r.stderr) });

test('postcat on files the reference writes now, every option set', async (t) => {
  if (!requireRoot(t)) return;
  const ref = privateInstance(t);
  for (const spec of SPECS) {
    const input = typeof spec.text === 'string' ? Buffer.from(spec.text, 'latin1') : spec.text;
    const sent = await runReference('sendmail', ['-C', ref.config, ...spec.args, ...spec.rcpt], { input, env: { MAIL_CONFIG: ref.config } });
    t.is(sent.status, 0, `${spec.name}: ${sent.stderr}`);
  }
  const ids = readdirSync(join(ref.spool, 'maildrop')).sort();
  t.is(ids.length, SPECS.length);
  for (const options of [[], ['-v'], ['-h'], ['-b'], ['-e'], ['-vod'], ['-bo']]) {
    const [ours, theirs] = await runBoth('postcat', ['-q', ...options, ...ids], { env: { MAIL_CONFIG: ref.config } });
    t.is(theirs.status, 0);
    t.deepEqual(clean(ours), clean(theirs), options.join(' '));
    const [oursByName, theirsByName] = await runBoth('postcat', [...options, ...ids.map((id) => `maildrop/${id}`)], { cwd: ref.spool, env: { MAIL_CONFIG: ref.config } });
    t.deepEqual(clean(oursByName), clean(theirsByName));
  }
});

test('postcat on cleanup-format files the reference writes now', async (t) => {
  if (!requireRoot(t)) return;
  const inst = await startCleanupInstance(t);
  const ids = await submitAll(t, inst, SPECS);
  t.is(ids.length, SPECS.length);
  for (const options of [[], ['-v'], ['-h'], ['-b'], ['-e'], ['-vod'], ['-bo'], ['-hv']]) {
    const [ours, theirs] = await runBoth('postcat', ['-q', ...options, ...ids], { env: { MAIL_CONFIG: inst.config } });
    t.is(theirs.status, 0);
    t.deepEqual(clean(ours), clean(theirs), options.join(' '));
  }
});
