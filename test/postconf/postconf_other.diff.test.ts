/*
 * postconf listing modes against the reference: bounce templates (-b, -t run bounce(8)
 * from daemon_directory; both sides are pointed at the reference's bounce, so that the
 * test covers how we find, run and report on it), and the table and SASL type lists,
 * where ours must be a subset of the reference's: we list only what we support.
 */
import test from 'ava';
import { postconfCase } from './_compare.js';
import { requireRoot, runOurs, runReference, tempConfig } from '../helpers/diff.js';
import { REF_DAEMON_DIR, REFERENCE_ROOT } from '../helpers/paths.js';

const BOUNCE = { 'main.cf': `daemon_directory = ${REF_DAEMON_DIR}\n`, 'master.cf': '' };
const TEMPLATE = 'delay_template = <<EOF\nSubject: delayed at $myhostname\n\nStill trying.\nEOF\n';

test('-b expands the default bounce templates', postconfCase, { files: BOUNCE, args: ['-b'] });
test('-t shows the default bounce templates', postconfCase, { files: BOUNCE, args: ['-t'] });
test('-b with a template file', postconfCase, { files: { ...BOUNCE, 'templates.cf': TEMPLATE }, args: ['-b', 'conf/templates.cf'] });
test('-t with a missing template file', postconfCase, { files: BOUNCE, args: ['-t', '/nonexistent/templates.cf'] });
test('-b with daemon_directory where bounce is missing', postconfCase, { files: { 'main.cf': 'daemon_directory = /nonexistent$foo\n', 'master.cf': '' }, args: ['-b'] });
test('-b with a missing main.cf', postconfCase, { files: { 'master.cf': '' }, args: ['-b'] });

for (const option of ['-m', '-a', '-A']) {
  test(`${option} lists a subset of the reference's types`, async (t) => {
    if (!requireRoot(t)) return;
    // The reference lists its plug-in table types (cdb, lmdb, pcre) only when it finds them.
    const plugins = `meta_directory = ${REFERENCE_ROOT}/etc/postfix\nshlib_directory = ${REFERENCE_ROOT}/usr/lib/postfix\n`;
    const dir = tempConfig(t, { 'main.cf': option === '-m' ? plugins : '', 'master.cf': '' });
    const [ours, ref] = await Promise.all([runOurs('postconf', ['-c', dir, option]), runReference('postconf', ['-c', dir, option])]);
    t.is(ours.status, ref.status);
    t.is(ours.stderr, ref.stderr);
    const theirs = new Set(ref.stdout.split('\n'));
    for (const type of ours.stdout.split('\n')) t.true(theirs.has(type), `${option}: ${type} is not a type the reference knows`);
  });
}
