/*
 * discard started by hand or with a bad master.cf command line, ours against the
 * reference: the single_server skeleton's start-up diagnostics (stderr with -V, or the
 * "do not run this command by hand" refusal on a terminal) and exit status. Nothing is
 * masked: these lines carry no pid or time.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProgram, tempDir, type RunOptions } from '../helpers/diff.js';
import { OUR_DAEMON_DIR, REF_DAEMON_DIR } from '../helpers/paths.js';

function setup(t: ExecutionContext): { config: string; spool: string; dir: string } {
  const dir = tempDir(t, 'pf-discard-');
  const config = join(dir, 'etc');
  const spool = join(dir, 'spool');
  mkdirSync(config);
  mkdirSync(join(spool, 'pid'), { recursive: true });
  writeFileSync(join(config, 'main.cf'), `compatibility_level = 3.6\nqueue_directory = ${spool}\n`);
  return { config, spool, dir };
}

async function both(t: ExecutionContext, daemon: string, args: string[], opts: RunOptions) {
  const [ours, ref] = await Promise.all([
    runProgram(join(OUR_DAEMON_DIR, daemon), args, { argv0: daemon, ...opts }),
    runProgram(join(REF_DAEMON_DIR, daemon), args, { argv0: daemon, ...opts }),
  ]);
  t.deepEqual(ours, ref, `${daemon} ${args.join(' ')}`);
}

const CASES: Array<[string, string[]]> = [
  ['no options: fails silently (the log is not stderr)', []],
  ['no transport', ['-V']],
  ['bad transport', ['-V', '-t', 'bogus']],
  ['bad socket count', ['-V', '-s', '0']],
  ['bad -o', ['-V', '-o', 'noequals']],
  ['bad retirement time', ['-V', '-t', 'unix', '-r', 'soon']],
  ['unknown option', ['-V', '-Z']],
  ['missing option argument', ['-V', '-n']],
  ['unknown mail_owner', ['-V', '-t', 'unix', '-o', 'mail_owner=no-such-user-here']],
  ['root as mail_owner', ['-V', '-t', 'unix', '-o', 'mail_owner=root']],
  ['unknown setgid_group', ['-V', '-t', 'unix', '-o', 'setgid_group=no-such-group-here']],
  ['bad syslog_facility', ['-V', '-t', 'unix', '-o', 'syslog_facility=nowhere']],
  ['bad max_idle', ['-V', '-t', 'unix', '-o', 'max_idle=soon']],
  ['bad max_use', ['-V', '-t', 'unix', '-m', 'many']],
  ['missing queue directory', ['-V', '-S', '-o', 'queue_directory=/nonexistent/queue']],
  ['lock file where there is no pid directory', ['-V', '-t', 'unix', '-n', 'mine']],
  // A short syslog_name: with a longer one the reference prints from freed memory.
  ['syslog_name', ['-V', '-o', 'syslog_name=pf', '-t', 'bogus']],
];

for (const [title, args] of CASES) {
  test(`discard: ${title}`, async (t) => {
    const { config, dir } = setup(t);
    await both(t, 'discard', args, { env: { MAIL_CONFIG: config }, cwd: dir });
  });
}

test('discard: a bad GENERATION', async (t) => {
  const { config, dir } = setup(t);
  await both(t, 'discard', ['-V', '-t', 'unix', '-l'], { env: { MAIL_CONFIG: config, GENERATION: '12x' }, cwd: dir });
});

for (const args of [[], ['-t', 'unix'], ['-V', '-t', 'unix']]) {
  test(`discard on a terminal refuses to run: ${args.join(' ') || '(no options)'}`, async (t) => {
    const { config, spool } = setup(t);
    await both(t, 'discard', args, { env: { MAIL_CONFIG: config }, cwd: spool, tty: true });
  });
}

test('error on a terminal refuses to run; -S does not', async (t) => {
  const { config, spool } = setup(t);
  await both(t, 'error', ['-n', 'retry', '-t', 'unix'], { env: { MAIL_CONFIG: config }, cwd: spool, tty: true });
  await both(t, 'error', ['-V', '-S', '-o', 'queue_directory=/nonexistent'], { env: { MAIL_CONFIG: config }, cwd: spool, tty: true });
});
