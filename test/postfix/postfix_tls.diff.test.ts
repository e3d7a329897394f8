/*
 * "postfix tls" (postfix-tls-script), ours against the reference, on a default instance
 * (/etc/postfix in a private mount namespace: openssl_path comes from there), each side
 * with its own programs at the same path: per step stdout, stdout+stderr on a terminal, exit
 * status, then main.cf and the mail log. A key and a certificate made beforehand with
 * openssl give deterministic digests and requests (RSA signatures are deterministic);
 * keys that the commands make are new each time, so there only file names and messages
 * compare, with the time stamp in the new file names masked. With dynamicmaps.cf, so that
 * the reference's postconf -m lists lmdb, as installed ones do.
 * Combination: our postfix, postfix-script and postfix-tls-script, the system's openssl.
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, tempDir, type RunResult } from '../helpers/diff.js';
import { buildTree, maillogLines, postfix, runDefault, type Flavor, type Tree } from '../helpers/postfix_tree.js';

interface Step {
  args: string[];
  tty?: boolean;
  status?: number;
}

/* postconf -e adds settings in hash table order, which Postfix randomizes unless NORANDOMIZE is set. */
const IMPORT = 'import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME NORANDOMIZE';

/** Masked: the time stamp in the names of new key and certificate files. */
const maskText = (text: string) => text.replace(/\b(key|cert|eckey|eccert)-\d{8}-\d{6}\.pem\b/g, '$1-STAMP.pem');
const mask = (r: RunResult): RunResult => ({ stdout: maskText(r.stdout), stderr: maskText(r.stderr), status: r.status });

/** A key and a self-signed certificate for mail.example.test, made once per test run. */
function fixtureKeys(dir: string): { key: string; cert: string } {
  const key = join(dir, 'fixture-key.pem');
  const cert = join(dir, 'fixture-cert.pem');
  spawnSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'ignore' });
  spawnSync('openssl', ['req', '-x509', '-new', '-key', key, '-subj', '/CN=mail.example.test', '-days', '30', '-out', cert],
    { stdio: 'ignore' });
  return { key, cert };
}

async function play(t: ExecutionContext, top: string, flavor: Flavor, steps: Step[], keys: { key: string; cert: string }) {
  const tree: Tree = buildTree(top, flavor, { defaultInstance: true, dynamicMaps: true, mainCf: [IMPORT] });
  copyFileSync(keys.key, join(tree.configPath, 'key.pem'));
  copyFileSync(keys.cert, join(tree.configPath, 'cert.pem'));
  const results: RunResult[] = [];
  for (const step of steps) {
    results.push(mask(await runDefault(tree, 'postfix', ['tls', ...step.args], { tty: step.tty, env: { NORANDOMIZE: '1' } })));
  }
  return { results, mainCf: maskText(readFileSync(join(tree.configPath, 'main.cf'), 'latin1')), log: maillogLines(tree).map(maskText) };
}

function scenario(title: string, steps: Step[]): void {
  test(title, async (t) => {
    if (!requireRoot(t)) return;
    const dir = tempDir(t, 'pf-tls-');
    chmodSync(dir, 0o755);
    const keys = fixtureKeys(dir);
    const top = join(dir, 'inst');
    const ref = await play(t, top, 'reference', steps, keys);
    const ours = await play(t, top, 'ours', steps, keys);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if (step.status !== undefined) t.is(ref.results[i]!.status, step.status, `reference, step ${i + 1}: ${JSON.stringify(ref.results[i])}`);
      t.deepEqual(ours.results[i], ref.results[i], `step ${i + 1}: postfix tls ${step.args.join(' ')}`);
    }
    t.deepEqual(ours.mainCf, ref.mainCf, 'main.cf afterwards');
    t.deepEqual(ours.log, ref.log, 'mail log');
  });
}

scenario('usage errors, the all-default checks, and enable-client', [
  { args: [], tty: true, status: 1 },
  { args: ['bogus'], tty: true },
  { args: ['enable-client', '-x'], tty: true },
  { args: ['enable-client', 'extra'], tty: true },
  { args: ['enable-server', '-a', 'dsa'], tty: true },
  { args: ['new-server-key', '-a', 'dsa'], tty: true },
  { args: ['new-server-cert', '-a', ''], tty: true },
  { args: ['deploy-server-cert', 'one'], tty: true },
  { args: ['all-default-client', 'x'], tty: true },
  { args: ['all-default-client'], status: 0 },
  { args: ['all-default-server'], status: 0 },
  { args: ['enable-client'], tty: true, status: 0 },
  { args: ['all-default-client'], status: 1 },
  { args: ['enable-client', '-r', 'dev:/dev/urandom'], tty: true },
]);

scenario('deploy a given key and certificate; TLSA records and a signing request from it', [
  { args: ['output-server-tlsa'], tty: true },
  { args: ['output-server-csr'], tty: true },
  { args: ['deploy-server-cert', 'cert.pem', 'nosuchkey.pem'], tty: true },
  { args: ['deploy-server-cert', 'key.pem', 'key.pem'], tty: true },
  { args: ['deploy-server-cert', 'cert.pem', 'key.pem'], tty: true, status: 0 },
  { args: ['output-server-tlsa'], status: 0 },
  { args: ['output-server-tlsa', '-h', 'mx.example.test', 'key.pem', 'none'] },
  { args: ['output-server-tlsa', 'cert.pem'], tty: true },
  { args: ['output-server-csr', '-k', 'key.pem', 'mx1.example.test', 'mx2.example.test'], status: 0 },
  { args: ['output-server-csr'] },
  { args: ['all-default-server'], status: 1 },
  { args: ['enable-server'], tty: true, status: 0 },
]);

scenario('new keys and certificates', [
  { args: ['new-server-cert'], tty: true, status: 0 },
  { args: ['new-server-key', '-a', 'ecdsa', 'mx.example.test'], tty: true, status: 0 },
  { args: ['enable-server', '-b', '1024'], tty: true, status: 0 },
  { args: ['new-server-cert'], tty: true, status: 0 },
]);

test('without a default instance there is no openssl_path', async (t) => {
  if (!requireRoot(t)) return;
  const dir = tempDir(t, 'pf-tls-');
  chmodSync(dir, 0o755);
  const run = async (flavor: Flavor) => mask(await postfix(buildTree(join(dir, 'inst'), flavor), ['tls', 'enable-client'], { tty: true }));
  const ref = await run('reference');
  t.is(ref.status, 1);
  t.deepEqual(await run('ours'), ref);
});
