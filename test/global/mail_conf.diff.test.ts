/*
 * Typed main.cf access (loadMainCf) against the reference: the reference postmap checks
 * every global parameter at start-up (mail_params_init); a bad setting of one of them
 * must give the same fatal message and exit status from our loader. Good settings must
 * load on both sides.
 */
import test from 'ava';
import { join } from 'node:path';
import { DIST } from '../helpers/paths.js';
import { requireRoot, runProgram, runReference, tempConfig } from '../helpers/diff.js';

const DRIVER = join(DIST, 'test/global/_mail_conf_driver.js');

const CASES: [string, string][] = [
  ['line_length_limit', 'abc'],
  ['line_length_limit', '10'],
  ['line_length_limit', ' 4096'],
  ['line_length_limit', '99999999999'],
  ['ipc_timeout', '10x'],
  ['ipc_timeout', '0'],
  ['ipc_timeout', 's'],
  ['ipc_timeout', '2h'],
  ['ipc_idle', '10sx'],
  ['ipc_idle', '-5'],
  ['message_size_limit', '99999999999999999999'],
  ['message_size_limit', '10240000'],
  ['myhostname', ''],
  ['mydomain', '$nothing'],
  ['fork_attempts', '${{1} < {2}?{5}:{6}}'],
  ['hash_queue_depth', '0'],
  ['daemon_timeout', '1w'],
  ['soft_bounce', 'maybe'],
  ['soft_bounce', 'YES'],
];

for (const [name, value] of CASES) {
  test(`${name} = ${value}`, async (t) => {
    if (!requireRoot(t)) return;
    const dir = tempConfig(t, { 'main.cf': `${name} = ${value}\n`, 'master.cf': '' });
    const [ours, ref] = await Promise.all([
      runProgram(process.execPath, [DRIVER, name], { env: { MAIL_CONFIG: dir } }),
      runReference('postmap', ['-c', dir, '-q', 'x', 'inline:{x=y}']),
    ]);
    t.is(ours.stderr, ref.stderr);
    t.is(ours.status, ref.status);
  });
}
