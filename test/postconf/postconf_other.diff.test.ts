/*
 * postconf listing modes against the reference: bounce templates (-b, -t run bounce(8)
 * from daemon_directory; each side runs its own bounce), and the table and SASL type
 * lists, where ours must be a subset of the reference's: we list only what we support.
 */
import test from 'ava';
import { postconfCase, type Side } from './_compare.js';
import { requireRoot, runOurs, runReference, tempConfig } from '../helpers/diff.js';
import { OUR_DAEMON_DIR, REF_DAEMON_DIR, REFERENCE_ROOT } from '../helpers/paths.js';

/** Each side runs its own bounce(8): ours from dist/libexec, the reference's from its package. */
const ownBounce = (side: Side) => ({ 'main.cf': `daemon_directory = ${side === 'ours' ? OUR_DAEMON_DIR : REF_DAEMON_DIR}\n` });
const BOUNCE = { files: { 'master.cf': '' }, sideFiles: ownBounce };

const template = (cls: string, head: string, body: string) => `${cls}_template = <<EOF\n${head}\n\n${body}\nEOF\n`;
/** A template file that replaces all four built-in templates, so both sides must agree on every byte. */
const ALL_FOUR = template('failure', 'Charset: us-ascii\nFrom: Postmaster <postmaster@example.com>\nSubject: Failed\nPostmaster-Subject: Copy: failed', 'Host $myhostname ($mydomain) could not deliver.\nDelayed after $delay_warning_time_hours h, given up after $maximal_queue_lifetime_days d.\n$$literal dollar ${myhostname?{has name}}')
  + template('delay', 'Subject: Delayed\nPostmaster-Subject: Copy: delayed', 'Still trying for $maximal_queue_lifetime_weeks weeks, $delay_warning_time_seconds s.')
  + template('success', 'From : Reports <r@example.com>\nsubject: Delivered', '\n\nDelivered by $mail_name $mail_version.')
  + template('verify', 'Charset: utf-8', 'V\xc3\xa9rification: $myorigin');

test('-b with a template file for all four notices', postconfCase, { ...BOUNCE, files: { ...BOUNCE.files, 't.cf': ALL_FOUR }, args: ['-b', 'conf/t.cf'] });
test('-t with a template file for all four notices', postconfCase, { ...BOUNCE, files: { ...BOUNCE.files, 't.cf': ALL_FOUR }, args: ['-t', 'conf/t.cf'] });
test('-b with bounce_template_file in main.cf and header_from_format = obsolete', postconfCase, {
  files: { 'master.cf': '', 't.cf': ALL_FOUR },
  sideFiles: (side) => ({ 'main.cf': `${ownBounce(side)['main.cf']}bounce_template_file = conf/t.cf\nheader_from_format = obsolete\ndelay_warning_time = 4h\n` }),
  args: ['-t'],
});
test('-t with an invalid header_from_format', postconfCase, {
  files: { 'master.cf': '' }, sideFiles: (side) => ({ 'main.cf': `${ownBounce(side)['main.cf']}header_from_format = fancy\n` }), args: ['-t'],
});

// Broken templates fall back to the built-in text, which is worded differently on each
// side: compare the diagnostics and the exit status.
const BROKEN: [string, string][] = [
  ['an unknown header label', template('delay', 'X-Bad: 1', 'body')],
  ['an empty header value', template('failure', 'Subject:', 'body')],
  ['a non-ASCII header value', template('failure', 'Subject: \xe9t\xe9', 'body')],
  ['Postmaster-Subject where it does not apply', template('verify', 'Postmaster-Subject: x', 'body')],
  ['headers without text', 'success_template = <<EOF\nSubject: only\n\n\nEOF\n'],
  ['8-bit text with charset us-ascii', template('failure', 'Subject: s', 'caf\xe9')],
  ['an unknown template name', 'bogus_template = text\n'],
  ['a missing end marker', 'failure_template = <<END\nSubject: s\n\ntext\n'],
  ['a malformed end marker', 'failure_template = <<-END\n'],
  ['a missing end marker name', 'failure_template = <<\n'],
  ['a line without "="', '# comment\n\nfailure_template\n'],
  ['an undefined $name', template('failure', 'Subject: s', 'text $no_such_parameter_anywhere')],
  ['bad $name syntax', template('failure', 'Subject: s', 'text ${myhostname')],
  ['an unknown time unit', template('failure', 'Subject: s', '$delay_warning_time_fortnights')],
  ['a time too large for its unit', template('failure', 'Subject: s', '$maximal_queue_lifetime_seconds')],
  ['a time too small for its unit', template('failure', 'Subject: s', '$maximal_queue_lifetime_weeks')],
];
for (const [name, text] of BROKEN) {
  test(`-b with ${name}`, postconfCase, { ...BOUNCE, files: { ...BOUNCE.files, 't.cf': text }, args: ['-b', 'conf/t.cf'], compare: 'diagnostics' });
}
test('-t with a missing template file', postconfCase, { ...BOUNCE, args: ['-t', '/nonexistent/templates.cf'] });
test('-b with daemon_directory where bounce is missing', postconfCase, { files: { 'main.cf': 'daemon_directory = /nonexistent$foo\n', 'master.cf': '' }, args: ['-b'] });
test('-b with a missing main.cf', postconfCase, { files: { 'master.cf': '' }, args: ['-b'] });

/** The built-in templates: our wording, Postfix's headers, structure and $names. */
for (const option of ['-t', '-b']) {
  test(`${option} with the built-in templates: same headers and $names as the reference`, async (t) => {
    if (!requireRoot(t)) return;
    const outline = async (side: Side) => {
      const dir = tempConfig(t, { ...ownBounce(side), 'master.cf': '' });
      const run = await (side === 'ours' ? runOurs : runReference)('postconf', ['-c', dir, option]);
      const lines = run.stdout.split('\n');
      return {
        status: run.status,
        stderr: run.stderr,
        // Everything but the free text: template names, headers, and the $names used.
        skeleton: lines.filter((l) => /^(\w+ = <<EOF|EOF|[A-Za-z-]+: .*)$/.test(l)),
        names: [...new Set(run.stdout.match(/\$\w+/g) ?? [])].sort(),
      };
    };
    const [ours, ref] = await Promise.all([outline('ours'), outline('reference')]);
    t.deepEqual(ours, ref);
  });
}

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
test('bounce reports under syslog_name', postconfCase, {
  files: { 'master.cf': '' }, sideFiles: (side) => ({ 'main.cf': `${ownBounce(side)['main.cf']}syslog_name = mta2\n` }), args: ['-t', '/nonexistent'],
});
test('bounce with multi_instance_name', postconfCase, {
  files: { 'master.cf': '' }, sideFiles: (side) => ({ 'main.cf': `${ownBounce(side)['main.cf']}multi_instance_name = postfix-out\n` }), args: ['-b', '/nonexistent'],
});
test('-b shows an IDN myhostname in UTF-8 when smtputf8_enable = yes', postconfCase, {
  files: { 'master.cf': '', 't.cf': ALL_FOUR },
  sideFiles: (side) => ({ 'main.cf': `${ownBounce(side)['main.cf']}myhostname = xn--caf-dma.example\nmydomain = xn--bcher-kva.example\nsmtputf8_enable = yes\n` }),
  args: ['-b', 'conf/t.cf'],
});
