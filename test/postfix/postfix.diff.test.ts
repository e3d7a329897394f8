/*
 * postfix(1) with its postfix-script and post-install, ours against the reference: each
 * scenario runs on a reference installation tree, then on ours at the same path (see
 * test/helpers/postfix_tree.ts), and compares per step stdout, stderr (on a terminal where
 * that matters: the scripts report there only then) and exit status, the tree afterwards
 * (types, modes, owners, configuration file contents), and the mail log.
 * Combination: our postfix, postfix-script and post-install with our master and daemons
 * (postlogd) against all of the reference; POSTFIX_TEST_MASTER=reference runs the "ours"
 * tree with the reference master and daemons instead.
 */
import test, { type ExecutionContext } from 'ava';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, tempDir, type RunResult } from '../helpers/diff.js';
import { buildTree, killMaster, maillogLines, postfix, snapshot, type Flavor, type Tree, type TreeOptions } from '../helpers/postfix_tree.js';

interface Step {
  args: string[];
  tty?: boolean;
  /** Run before the step. */
  before?: (tree: Tree) => void | Promise<void>;
}

interface Scenario {
  opts?: TreeOptions;
  setup?: (tree: Tree) => void;
  steps: Step[];
  /** Compare the tree afterwards. */
  tree?: boolean;
  /** Starts masters: run alone, not next to the other tests of the file. */
  serial?: boolean;
}

interface Played {
  results: RunResult[];
  pidFile: string[];
  tree?: ReturnType<typeof snapshot>;
  log: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Change a main.cf setting in place (a second entry would add warnings from every reader). */
function setMainCf(tree: Tree, name: string, value: string): void {
  const mainCf = join(tree.configPath, 'main.cf');
  const text = readFileSync(mainCf, 'latin1');
  const re = new RegExp(`^${name} = .*$`, 'm');
  writeFileSync(mainCf, re.test(text) ? text.replace(re, `${name} = ${value}`) : `${text}${name} = ${value}\n`);
}

/*
 * Masked: the master's process ID, which differs between the runs; and "waiting for the
 * Postfix mail system to terminate", which "stop" logs or not depending on how fast
 * master exits.
 */
const WAITING = /^.*waiting for the Postfix mail system to terminate\r?\n/gm;
const maskText = (text: string) => text.replace(/PID: \d+/g, 'PID: N').replace(WAITING, '');
const mask = (r: RunResult): RunResult => ({ stdout: maskText(r.stdout), stderr: maskText(r.stderr), status: r.status });

/** What the pid file looks like after each step: its length and layout, the number masked. */
function pidFileShape(tree: Tree): string {
  try {
    const text = readFileSync(join(tree.spool, 'pid', 'master.pid'), 'latin1');
    return `${text.length} bytes: ${text.replace(/^ *\d+\n$/, 'right-aligned number, newline')}`;
  } catch {
    return '(none)';
  }
}

/*
 * Left out of the mail log comparison: the line logged just before master gets SIGTERM.
 * master takes postlogd down with it, and whether postlogd has read that record by then is
 * a race that the reference loses now and then, too.
 */
const RACY_LOG = /: (stopping|aborting) the Postfix mail system$/;

async function play(t: ExecutionContext, top: string, flavor: Flavor, scenario: Scenario): Promise<Played> {
  const tree = buildTree(top, flavor, scenario.opts);
  t.teardown(() => killMaster(tree));
  scenario.setup?.(tree);
  const results: RunResult[] = [];
  const pidFile: string[] = [];
  try {
    for (const step of scenario.steps) {
      await step.before?.(tree);
      results.push(mask(await postfix(tree, step.args, { tty: step.tty })));
      pidFile.push(pidFileShape(tree));
    }
  } finally {
    killMaster(tree);
  }
  const log = maillogLines(tree).map(maskText)
    .filter((l) => !l.includes('waiting for the Postfix mail system to terminate') && !RACY_LOG.test(l));
  return { results, pidFile, tree: scenario.tree ? snapshot(tree) : undefined, log };
}

function scenario(title: string, sc: Scenario): void {
  (sc.serial ? test.serial : test)(title, async (t) => {
    if (!requireRoot(t)) return;
    const dir = tempDir(t, 'pf-postfix-');
    chmodSync(dir, 0o755); // master opens its lock file as mail_owner
    const top = join(dir, 'inst');
    const ref = await play(t, top, 'reference', sc);
    const ours = await play(t, top, 'ours', sc);
    for (let i = 0; i < sc.steps.length; i++) {
      t.deepEqual(ours.results[i], ref.results[i], `step ${i + 1}: postfix ${sc.steps[i]!.args.join(' ')}`);
    }
    t.deepEqual(ours.pidFile, ref.pidFile, 'pid file after each step');
    if (sc.tree) t.deepEqual(ours.tree, ref.tree, 'the installation afterwards');
    t.deepEqual(ours.log, ref.log, 'mail log');
  });
}

/** Wait until the master of the tree is gone (abort and drain do not wait). */
async function masterGone(tree: Tree): Promise<void> {
  let pid = 0;
  try {
    pid = Number(readFileSync(join(tree.spool, 'pid', 'master.pid'), 'latin1').trim());
  } catch {
    return;
  }
  for (let i = 0; i < 300 && pid > 1 && existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1')); i++) {
    await sleep(100);
  }
}

scenario('start, status, start again, reload, stop, status, stop again', {
  serial: true,
  steps: [
    { args: ['status'], tty: true },
    { args: ['start'], tty: true },
    { args: ['status'] },
    { args: ['status'], tty: true },
    { args: ['start'], tty: true },
    { args: ['reload'], tty: true },
    { args: ['stop'], tty: true },
    { args: ['status'], tty: true },
    { args: ['stop'], tty: true },
    { args: ['reload'], tty: true },
    { args: ['abort'], tty: true },
    { args: ['drain'], tty: true },
  ],
});

scenario('abort, then drain, then quick-stop and a quick start', {
  serial: true,
  steps: [
    { args: ['start'] },
    { args: ['abort'], tty: true },
    { args: ['start'], before: masterGone },
    { args: ['drain'], tty: true },
    { args: ['start'], tty: true, before: masterGone },
    { args: ['quick-stop'], tty: true },
    { args: ['start'], tty: true },
    { args: ['stop'] },
  ],
  tree: true,
});

scenario('check creates the missing queue directories', {
  steps: [{ args: ['check'], tty: true }],
  tree: true,
});

scenario('check warns about owners, modes, damaged messages and chroot leftovers', {
  setup: (tree) => {
    chownSync(tree.data, 0, 0);
    chmodSync(tree.configPath, 0o775);
    symlinkSync('/etc/hosts', join(tree.configPath, 'hosts-link'));
    symlinkSync('/nonexistent/file', join(tree.configPath, 'dangling'));
    writeFileSync(join(tree.configPath, 'writable'), 'x\n', { mode: 0o666 });
    chmodSync(join(tree.configPath, 'writable'), 0o666);
    for (const d of ['corrupt', 'active', 'maildrop', 'pid', 'etc']) mkdirSync(join(tree.spool, d));
    writeFileSync(join(tree.spool, 'corrupt', 'ABCDEF123'), 'garbage');
    chownSync(join(tree.spool, 'active'), 0, 0);
    writeFileSync(join(tree.spool, 'etc', 'hosts'), 'not the real hosts file\n');
    chownSync(join(tree.spool, 'etc'), 999, 999);
    chmodSync(join(tree.spool, 'pid'), 0o777);
    chmodSync(join(tree.bin, 'postqueue'), 0o755);
  },
  steps: [{ args: ['check'], tty: true }, { args: ['check'] }],
  tree: true,
});

scenario('set-permissions repairs owners and modes', {
  setup: (tree) => {
    for (const d of ['bounce', 'public', 'maildrop', 'pid']) mkdirSync(join(tree.spool, d));
    mkdirSync(join(tree.spool, 'bounce', '0'));
    writeFileSync(join(tree.spool, 'bounce', '0', 'ABCDEF125'), 'bounce log', { mode: 0o600 });
    chmodSync(join(tree.spool, 'bounce', '0'), 0o755);
    chmodSync(join(tree.spool, 'public'), 0o777);
    chmodSync(join(tree.bin, 'postdrop'), 0o755);
    chownSync(join(tree.bin, 'postdrop'), 0, 0);
    chmodSync(join(tree.libexec, 'master'), 0o700);
    chownSync(tree.data, 0, 0);
    chmodSync(tree.data, 0o2755); // a directory keeps set-gid through "chmod 700"
  },
  steps: [{ args: ['set-permissions'], tty: true }, { args: ['check'], tty: true }],
  tree: true,
});

scenario('set-permissions with a bad mail_owner updates main.cf, then fails', {
  steps: [{ args: ['set-permissions', 'mail_owner=nosuchuser'], tty: true }],
  tree: true,
});

scenario('upgrade-configuration adds and fixes master.cf services, and sets inet_protocols', {
  opts: {
    masterCf: [
      'pickup    fifo  n       n       n       60      1       pickup',
      'cleanup   unix  -       -       n       -       0       cleanup',
      'verify    unix  -       -       n       -       0       verify',
      'tlsmgr    fifo  -       -       n       300     1       tlsmgr',
      'proxywrite unix -       -       n       -       -       proxymap',
      '',
    ].join('\n'),
  },
  setup: (tree) => {
    const mainCf = join(tree.configPath, 'main.cf');
    writeFileSync(mainCf, readFileSync(mainCf, 'latin1').replace(/^inet_protocols = .*\n/m, ''));
    writeFileSync(join(tree.configPath, 'pcre_table'), 'obsolete\n');
    writeFileSync(join(tree.libexec, 'main.cf'), 'obsolete\n');
  },
  steps: [{ args: ['upgrade-configuration'], tty: true }, { args: ['upgrade-configuration'], tty: true }],
  tree: true,
});

scenario('commands the script does not know, and the odd ones it does', {
  steps: [
    { args: [], tty: true },
    { args: ['foo', 'bar'], tty: true },
    { args: ['start_msg'] },
    { args: ['stop_msg'] },
    { args: ['/bin/echo', 'hello', 'world'] },
    { args: ['/nonexistent/program'] },
    { args: ['logrotate', 'now'], tty: true },
    { args: ['post-install', 'bogus'] },
    { args: ['post-install', 'bad=white space'] },
    { args: ['post-install'] },
    { args: ['check-warn'], tty: true },
  ],
});

scenario('post-install by hand: reminders, permission upgrades, and settings from install.cf', {
  setup: (tree) => {
    // A Postfix 2.x installation: no setgid_group in main.cf, the settings in install.cf.
    const mainCf = join(tree.configPath, 'main.cf');
    writeFileSync(mainCf, readFileSync(mainCf, 'latin1').replace(/^(setgid_group|sendmail_path|manpage_directory) = .*\n/gm, ''));
    writeFileSync(join(tree.configPath, 'install.cf'), `setgid=postdrop\nmanpages=${tree.top}/man\nsendmail_path=${tree.bin}/sendmail\n`);
    mkdirSync(join(tree.spool, 'public'), { recursive: true });
    chmodSync(join(tree.spool, 'public'), 0o777);
  },
  steps: [
    { args: ['post-install', 'first-install-reminder'], tty: true },
    { args: ['post-install', 'upgrade-permissions'], tty: true },
    { args: ['post-install', 'upgrade-source'], tty: true },
    { args: ['post-install', 'manpage_directory=no', 'create-missing'], tty: true },
    { args: ['post-install', 'html_directory=relative', 'create-missing'], tty: true },
    { args: ['post-install', 'daemon_directory=relative', 'create-missing'], tty: true },
    { args: ['post-install', 'config_directory=/nonexistent', 'create-missing'], tty: true },
    { args: ['post-install', 'meta_directory=/nonexistent', 'create-missing'], tty: true },
    { args: ['post-install', 'command_directory=/nonexistent', 'create-missing'], tty: true },
  ],
  tree: true,
});

scenario('logrotate renames and compresses maillog_file', {
  opts: { mainCf: ['maillog_file_rotate_suffix = rotated', 'maillog_file_compressor = gzip'] },
  setup: (tree) => writeFileSync(tree.maillog, 'Nov 21 10:00:00 mail postfix/test[1]: old line\n'),
  steps: [{ args: ['logrotate'], tty: true }, { args: ['logrotate'], tty: true }],
  tree: true,
});

scenario('logrotate with an empty compressor: postfix itself refuses the setting', {
  setup: (tree) => setMainCf(tree, 'maillog_file_compressor', ''),
  steps: [{ args: ['logrotate'], tty: true }],
});

scenario('an installation with pieces missing', {
  setup: (tree) => {
    rmSync(join(tree.libexec, 'master'));
  },
  steps: [
    { args: ['status'], tty: true },
    { args: ['start'], tty: true },
  ],
});

scenario('a meta_directory that does not exist', {
  setup: (tree) => setMainCf(tree, 'meta_directory', '/nonexistent/meta'),
  steps: [{ args: ['status'], tty: true }],
});

scenario('without master.cf, start stops at the integrity check', {
  setup: (tree) => rmSync(join(tree.configPath, 'master.cf')),
  steps: [{ args: ['start'], tty: true }, { args: ['check'] }],
});

scenario('with maillog_file but no postlog service, start refuses', {
  opts: { masterCf: 'pickup    unix  n       -       n       60      1       pickup\n' },
  steps: [{ args: ['start'], tty: true }],
});

scenario('backwards-compatible settings are announced', {
  setup: (tree) => setMainCf(tree, 'compatibility_level', '2'),
  steps: [{ args: ['status'], tty: true }],
});

scenario('postfix itself refuses bad settings and directories', {
  steps: [
    { args: ['status'], tty: true, before: (tree) => setMainCf(tree, 'compatibility_level', 'x.y') },
    {
      args: ['status'], tty: true, before: (tree) => {
        setMainCf(tree, 'compatibility_level', '3.6');
        setMainCf(tree, 'daemon_directory', `${tree.top}/nowhere`);
      },
    },
    {
      args: ['status'], tty: true, before: (tree) => {
        setMainCf(tree, 'daemon_directory', tree.libexec);
        setMainCf(tree, 'sendmail_path', '');
      },
    },
    {
      args: ['status'], tty: true, before: (tree) => {
        setMainCf(tree, 'sendmail_path', join(tree.bin, 'sendmail'));
        setMainCf(tree, 'mail_owner', 'nosuchuser');
      },
    },
    { args: ['status'], tty: true, before: (tree) => setMainCf(tree, 'mail_owner', 'root') },
  ],
});

/** start-fg in the background; status and stop while it runs; then its own result. */
async function playForeground(t: ExecutionContext, top: string, flavor: Flavor) {
  const tree = buildTree(top, flavor);
  t.teardown(() => killMaster(tree));
  const foreground = postfix(tree, ['start-fg'], { tty: true, timeoutMs: 120_000 });
  try {
    for (let i = 0; i < 600 && pidFileShape(tree) === '(none)'; i++) await sleep(100);
    await sleep(500); // master writes the pid file before it is ready for "status"
    const status = mask(await postfix(tree, ['status'], { tty: true }));
    const stop = mask(await postfix(tree, ['stop'], { tty: true }));
    return { status, stop, foreground: mask(await foreground), log: maillogLines(tree).map(maskText) };
  } finally {
    killMaster(tree);
    await foreground;
  }
}

test.serial('start-fg runs master in the foreground until stop', async (t) => {
  if (!requireRoot(t)) return;
  const dir = tempDir(t, 'pf-postfix-');
  chmodSync(dir, 0o755);
  const top = join(dir, 'inst');
  const ref = await playForeground(t, top, 'reference');
  t.is(ref.status.status, 0, JSON.stringify(ref.status));
  const ours = await playForeground(t, top, 'ours');
  t.deepEqual(ours.status, ref.status, 'status');
  t.deepEqual(ours.stop, ref.stop, 'stop');
  t.deepEqual(ours.foreground, ref.foreground, 'start-fg');
  const logged = (log: string[]) => log.filter((l) => !l.includes('waiting for') && !RACY_LOG.test(l));
  t.deepEqual(logged(ours.log), logged(ref.log), 'mail log');
});
