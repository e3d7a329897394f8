/*
 * master(8) diagnostics against the reference: bad command lines, a missing main.cf, -t,
 * and master.cf lines that master refuses or warns about, and how it reads good ones
 * (continuation lines, {} grouping, defaults; seen through -v's service entry dump).
 * Without maillog_file, master reports to syslog only: a socket of the test stands in for
 * /dev/log (helpers/devlog.ts). Compared: exit status, standard error and the syslog
 * records (priority, tag, text); masked: pids, and the path of the master program.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot } from '../helpers/diff.js';
import { DevLog, parseSyslog } from '../helpers/devlog.js';
import { killInstance, makeInstance, masterPath, type Instance, type Which } from './_instance.js';

interface Outcome {
  status: number | string;
  stderr: string;
  log: string[];
}

async function runBothMasters(t: ExecutionContext, args: string[], env: Record<string, string>,
  filter: (records: string[]) => string[] = (r) => r): Promise<[Outcome, Outcome]> {
  const log = new DevLog(t);
  const outcomes: Outcome[] = [];
  for (const which of ['ours', 'reference'] as Which[]) {
    const path = masterPath(which);
    // Drain the socket while master runs: a full datagram queue (10 by default) would
    // block master's syslog() calls.
    const got: string[] = [];
    const drain = setInterval(() => got.push(...log.datagrams()), 10);
    const res = await log.run(path, args, env).finally(() => clearInterval(drain));
    got.push(...log.datagrams());
    const records = got.map(parseSyslog).map((r) => `<${r.priority}> ${r.tag}: ${r.text}`.split(path).join('MASTER'));
    outcomes.push({ status: res.status, stderr: res.stderr.split(path).join('MASTER'), log: filter(records) });
  }
  return [outcomes[0]!, outcomes[1]!];
}

/** An instance without maillog_file: master logs to syslog. */
function syslogInstance(t: ExecutionContext, masterCf: string, mainCf: string[] = []): Instance {
  return makeInstance(t, { masterCf, mainCf: ['maillog_file =', ...mainCf] });
}

const COMMAND_LINES: [string, string[]][] = [
  ['an unknown option', ['-Z']],
  ['an option without its argument', ['-c']],
  ['an argument', ['-d', 'extra']],
  ['-t with -w', ['-t', '-w']],
  ['-i when not process 1', ['-i']],
];

for (const [title, args] of COMMAND_LINES) {
  test(`command line: ${title}`, async (t) => {
    if (!requireRoot(t)) return;
    const inst = syslogInstance(t, '');
    const [ours, ref] = await runBothMasters(t, args, { MAIL_CONFIG: inst.config });
    t.not(ref.status, 0);
    t.true(ref.log.length > 0);
    t.deepEqual(ours, ref);
  });
}

test('no main.cf', async (t) => {
  if (!requireRoot(t)) return;
  const inst = syslogInstance(t, '');
  const missing = join(inst.dir, 'nowhere');
  const [ours, ref] = await runBothMasters(t, ['-d'], { MAIL_CONFIG: missing });
  t.regex(ref.log.join('\n'), /fatal: open .*nowhere\/main\.cf: No such file or directory/);
  t.deepEqual(ours, ref);
});

test('-t: no pid file, and a pid file that nobody locks', async (t) => {
  if (!requireRoot(t)) return;
  const inst = syslogInstance(t, '');
  const env = { MAIL_CONFIG: inst.config };
  const [ours, ref] = await runBothMasters(t, ['-t'], env);
  t.deepEqual(ref, { status: 0, stderr: '', log: [] });
  t.deepEqual(ours, ref);
  writeFileSync(join(inst.spool, 'pid', 'master.pid'), `${'1'.padStart(32)}\n`);
  const [ours2, ref2] = await runBothMasters(t, ['-t'], env);
  t.deepEqual(ref2, { status: 0, stderr: '', log: [] });
  t.deepEqual(ours2, ref2);
});

const BAD_LINES: [string, string][] = [
  ['a name alone', 'foo\n'],
  ['an unknown transport', 'foo bar\n'],
  ['a bad y/n field', 'foo unix x\n'],
  ['a private inet service', '10025 inet y - n - - smtpd\n'],
  ['a bad wakeup time', 'foo unix - - n abc - smtpd\n'],
  ['a negative process limit', 'foo unix - - n - -1 smtpd\n'],
  ['a missing command', 'foo unix - - n - -\n'],
  ['a command of "-"', 'foo unix - - n - - -\n'],
  ['an unbalanced brace', 'foo unix - - n - - cmd {a b\n'],
  ['text after a brace', 'foo unix - - n - - cmd {a}b\n'],
  ['a missing "]"', '[127.0.0.1:25 inet n - n - - smtpd\n'],
  ['garbage after "]"', '[127.0.0.1]x:25 inet n - n - - smtpd\n'],
  ['an empty port', '127.0.0.1: inet n - n - - smtpd\n'],
  ['a bad numeric port', '127.0.0.1:25x inet n - n - - smtpd\n'],
  ['a line starting with white space', '  foo unix - - n - - cmd\nbar bar\n'],
];

for (const [title, masterCf] of BAD_LINES) {
  test(`master.cf: ${title}`, async (t) => {
    if (!requireRoot(t)) return;
    const inst = syslogInstance(t, `# a comment\n\n${masterCf}`);
    const [ours, ref] = await runBothMasters(t, ['-d', '-e', '1'], { MAIL_CONFIG: inst.config });
    t.not(ref.status, 0);
    t.regex(ref.log.join('\n'), /fatal: /);
    t.deepEqual(ours, ref);
  });
}

/** The service entries that -v dumps, and everything that is not verbose chatter. */
const entriesAndWarnings = (records: string[]): string[] => {
  const kept: string[] = [];
  let inEntry = false;
  for (const r of records) {
    if (r.endsWith(': ====start service entry')) inEntry = true;
    // Descriptors and addresses of structures are ours alone.
    if (inEntry && !/: (status_fd|children|next):? /.test(r)) kept.push(r);
    else if (/: (warning|fatal|panic): |using backwards-compatible|exit time/.test(r)) kept.push(r);
    if (r.endsWith(': ====end service entry')) inEntry = false;
  }
  return kept;
};

test('master.cf: good lines, continuations, groups, defaults and duplicates (-v entry dump)', async (t) => {
  if (!requireRoot(t)) return;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const masterCf = [
    '# comment',
    'svc1      unix  -       -       -       -       -       cmd',
    '  -o a=b',
    '# a comment between continued lines',
    '  { -o c = d e }   {}  x{y}z',
    'svc2      fifo  n       n       y       60?     1       other -n x',
    'svc3      unix-dgram  y y n 0 0 svc3',
    'svc4      pass  -       -       -       0       7       pass_cmd',
    `${port}     inet  n       -       -       -       10      smtpd`,
    `127.0.0.1:${port + 1} inet n  -       -       -       -       smtpd`,
    'svc1      unix  -       -       n       -       3       cmd2',
    'off       unix  -       -       n       -       -       never',
    'off2      fifo  -       -       n       -       -       never',
    '',
  ].join('\n');
  const inst = syslogInstance(t, masterCf, ['compatibility_level = 0', 'master_service_disable = off/unix, FIFO.off2']);
  mkdirSync(join(inst.dir, 'sbin'));
  const [ours, ref] = await runBothMasters(t, ['-d', '-v', '-e', '1'], { MAIL_CONFIG: inst.config }, entriesAndWarnings);
  t.true(ref.log.some((r) => r.endsWith(': -o c = d e')), ref.log.join('\n'));
  t.deepEqual(ours, ref);
});

test('master.cf: all network protocols disabled', async (t) => {
  if (!requireRoot(t)) return;
  const inst = syslogInstance(t, '25 inet n - n - - smtpd\nsvc unix - - n - - cmd\n', ['inet_protocols =']);
  const [ours, ref] = await runBothMasters(t, ['-d', '-e', '1'], { MAIL_CONFIG: inst.config }, entriesAndWarnings);
  t.true(ref.log.length >= 2, ref.log.join('\n'));
  t.deepEqual(ours, ref);
});

test('-w: a daemon that fails to start is reported by the foreground process', async (t) => {
  if (!requireRoot(t)) return;
  const inst = syslogInstance(t, 'foo unix - - n - -\n');
  const [ours, ref] = await runBothMasters(t, ['-w'], { MAIL_CONFIG: inst.config });
  t.is(ref.status, 1);
  t.regex(ref.log.join('\n'), /fatal: daemon initialization failure -- see logs for details/);
  t.deepEqual(ours, ref);
});

test('-w: a second master finds the lock taken', async (t) => {
  if (!requireRoot(t)) return;
  const inst = syslogInstance(t, '');
  const env = { MAIL_CONFIG: inst.config };
  const log = new DevLog(t);
  t.teardown(() => killInstance(inst));
  const first = await log.run(masterPath('reference'), ['-w'], env);
  t.is(first.status, 0);
  log.datagrams();
  const [ours, ref] = await runBothMasters(t, ['-w'], env);
  t.is(ref.status, 1);
  t.regex(ref.log.join('\n'), /fatal: open lock file pid\/master\.pid: unable to set exclusive lock: Resource temporarily unavailable/);
  t.deepEqual(ours, ref);
});

test('-v: everything master logs while it starts, wakes a service up, reaps a failed child and exits', async (t) => {
  if (!requireRoot(t)) return;
  // "pickup" does not exist in the daemon directory of this instance: its start fails.
  const inst = makeInstance(t, {
    masterCf: 'svc unix - - n - - cmd\nwake unix - - n 60 1 pickup\n',
    mainCf: ['maillog_file ='],
    daemonDir: '/nonexistent',
  });
  // Numbers of three digits and more are pids and ids; SIGCHLD signals may merge. The
  // exit time leaves the failed child (ours is a Node process) time to die even under load.
  // The failed child logs as "master" (without "postfix/"), at a moment of its own: its
  // lines go last.
  const mask = (records: string[]) => {
    const kept = records.filter((r) => !r.endsWith(': got sigchld')).map((r) => r.replace(/\d{3,}/g, 'N'));
    const child = (r: string) => / master: /.test(r);
    return [...kept.filter((r) => !child(r)), ...kept.filter(child).sort()];
  };
  const [ours, ref] = await runBothMasters(t, ['-d', '-v', '-e', '4'], { MAIL_CONFIG: inst.config }, mask);
  t.true(ref.log.some((r) => r.endsWith(': bad command startup -- throttling')), ref.log.join('\n'));
  t.deepEqual(ours, ref);
});

test('no pid directory: the lock file cannot be created', async (t) => {
  if (!requireRoot(t)) return;
  const inst = syslogInstance(t, '');
  rmSync(join(inst.spool, 'pid'), { recursive: true });
  const [ours, ref] = await runBothMasters(t, ['-d'], { MAIL_CONFIG: inst.config });
  t.regex(ref.log.join('\n'), /fatal: open lock file pid\/master\.pid: cannot create file exclusively: No such file or directory/);
  t.deepEqual(ours, ref);
});
