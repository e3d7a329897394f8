/*
 * postmulti(1) and its postmulti-script, ours against the reference, on a default instance
 * (/etc/postfix in a private mount namespace, see runDefault in test/helpers/postfix_tree.ts)
 * built once with each side's programs at the same path: per step stdout, stderr (on a
 * terminal where postmulti reports only there) and exit status, then the installation,
 * /etc included, and the mail log. postconf -e adds settings in hash table order, which
 * Postfix randomizes unless NORANDOMIZE is set: the instances import it.
 * Combination: our postmulti, postmulti-script, postfix, postfix-script, post-install and
 * postconf with our master (POSTFIX_TEST_MASTER=reference: the reference master).
 */
import test, { type ExecutionContext } from 'ava';
import { appendFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, tempDir, type RunResult } from '../helpers/diff.js';
import { buildTree, killMaster, maillogLines, runDefault, snapshot, type Flavor, type Tree } from '../helpers/postfix_tree.js';

interface Step {
  /** postmulti arguments, or another program of the tree: ['=postfix', ...]. */
  args: string[];
  tty?: boolean;
  env?: Record<string, string>;
  before?: (tree: Tree) => void;
  /** The reference's exit status, to be sure that the step tests what it says. */
  status?: number;
}

interface Scenario {
  setup?: (tree: Tree) => void;
  steps: Step[];
  tree?: boolean;
  /** Starts masters: run alone, not next to the other tests of the file. */
  serial?: boolean;
}

const IMPORT = 'import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME NORANDOMIZE';

/*
 * Masked: the process ID that "postfix status" reports, and "waiting for the Postfix mail
 * system to terminate", which "stop" logs or not depending on how fast master exits.
 */
const WAITING = /^.*waiting for the Postfix mail system to terminate\r?\n/gm;
const maskText = (text: string) => text.replace(/PID: \d+/g, 'PID: N').replace(WAITING, '');
/* In the mail log also the line logged just before master gets SIGTERM: master takes postlogd
 * down with it, and whether postlogd has read that record by then is a race. */
const WAITING_LOG = /: (waiting for the Postfix mail system to terminate|stopping the Postfix mail system)$/;
const mask = (r: RunResult): RunResult => ({ stdout: maskText(r.stdout), stderr: maskText(r.stderr), status: r.status });

async function play(t: ExecutionContext, top: string, flavor: Flavor, sc: Scenario) {
  const tree = buildTree(top, flavor, { defaultInstance: true, mainCf: [IMPORT] });
  t.teardown(() => killMaster(tree));
  sc.setup?.(tree);
  const results: RunResult[] = [];
  try {
    for (const step of sc.steps) {
      step.before?.(tree);
      const [name, args] = step.args[0]?.startsWith('=') ? [step.args[0].slice(1), step.args.slice(1)] : ['postmulti', step.args];
      results.push(mask(await runDefault(tree, name, args, { tty: step.tty, env: { NORANDOMIZE: '1', ...step.env } })));
    }
  } finally {
    killMaster(tree);
  }
  return { results, tree: sc.tree ? snapshot(tree) : undefined, log: maillogLines(tree).map(maskText).filter((l) => !WAITING_LOG.test(l)) };
}

function scenario(title: string, sc: Scenario): void {
  (sc.serial ? test.serial : test)(title, async (t) => {
    if (!requireRoot(t)) return;
    const dir = tempDir(t, 'pf-postmulti-');
    chmodSync(dir, 0o755); // the postfix user must reach the queue and data directories
    const top = join(dir, 'inst');
    const ref = await play(t, top, 'reference', sc);
    const ours = await play(t, top, 'ours', sc);
    for (let i = 0; i < sc.steps.length; i++) {
      const step = sc.steps[i]!;
      if (step.status !== undefined) t.is(ref.results[i]!.status, step.status, `reference, step ${i + 1}: ${JSON.stringify(ref.results[i])}`);
      t.deepEqual(ours.results[i], ref.results[i], `step ${i + 1}: ${step.args.join(' ')}`);
    }
    if (sc.tree) t.deepEqual(ours.tree, ref.tree, 'the installation afterwards');
    t.deepEqual(ours.log, ref.log, 'mail log');
  });
}

scenario('command lines that postmulti refuses', {
  steps: [
    { args: [], tty: true, status: 1 },
    { args: ['-l', '-p'], tty: true, status: 1 },
    { args: ['-l', 'extra'], tty: true },
    { args: ['-p'], tty: true },
    { args: ['-x'], tty: true },
    { args: ['-p', '-R', 'status'], tty: true },
    { args: ['-l', '-a', '-i', 'x'], tty: true },
    { args: ['-l', '-I', 'postfix-x'], tty: true },
    { args: ['-e', 'enable', '-G', 'x'], tty: true },
    { args: ['-e', 'bogus'], tty: true },
    { args: ['-e', 'assign', '-i', 'x'], tty: true },
    { args: ['-e', 'enable', '-i', 'x', 'a=b'], tty: true },
    { args: ['-e', 'create', '-I', 'a', '-I', 'b'], tty: true },
    { args: ['-e', 'create', '-G', 'a', '-G', 'b'], tty: true },
    { args: ['-Z'], tty: true },
    { args: ['-e', 'create', '-I', 'bad name'], tty: true },
    { args: ['-e', 'create', '-I', 'nopfx'], tty: true },
    { args: ['-e', 'create', '-I', 'postfix-x/y'], tty: true },
    { args: ['-e', 'create', 'queue_directory=relative'], tty: true },
    { args: ['-e', 'create', '-I', 'postfix-z', 'queue_directory=/'], tty: true },
    { args: ['-e', 'create', '-I', 'postfix-z', 'myhostname=x'], tty: true },
    { args: ['-l'], tty: true, env: { MAIL_CONFIG: '/tmp' } },
    { args: ['-l'], status: 0 },
  ],
});

scenario('a single instance: list, run commands, and what needs init', {
  steps: [
    { args: ['-l'] },
    { args: ['-l', '-i', '-'] },
    { args: ['-l', '-g', 'nogroup'], tty: true },
    { args: ['-x', '/bin/sh', '-c', 'echo "$MAIL_CONFIG|$config_directory|$multi_instance_name|$multi_instance_enable|$PATH"'] },
    { args: ['-x', '/nonexistent/command'], tty: true },
    { args: ['-p', 'status'], tty: true },
    { args: ['-e', 'enable', '-i', '-'], tty: true },
    { args: ['-e', 'create', '-I', 'postfix-out'], tty: true },
    { args: ['-e', 'destroy'], tty: true },
    { args: ['-e', 'destroy', '-i', '-'], tty: true },
  ],
  tree: true,
});

scenario('init, create, list, select, assign, enable, disable, deport, import, destroy', {
  steps: [
    { args: ['-e', 'init'], tty: true, status: 0 },
    { args: ['-e', 'create', '-I', 'postfix-out', '-G', 'mta'], tty: true, status: 0 },
    { args: ['-e', 'create', '-I', 'postfix-in', '-i', 'postfix-out'], tty: true, status: 0 },
    { args: ['-l'], status: 0 },
    { args: ['-l', '-R'] },
    { args: ['-l', '-g', 'mta'] },
    { args: ['-l', '-i', 'out'] },
    { args: ['-l', '-i', '/etc/postfix-in'] },
    { args: ['-x', '/bin/sh', '-c', 'echo "$MAIL_CONFIG|$config_directory|$queue_directory|$multi_instance_name|$multi_instance_group|$multi_instance_enable"'] },
    { args: ['-e', 'create', '-I', 'postfix-out'], tty: true },
    { args: ['-e', 'assign', '-i', 'in', '-I', 'postfix-inbound', '-G', 'mta'], tty: true },
    { args: ['-e', 'assign', '-i', 'inbound', '-G', 'mta'], tty: true },
    { args: ['-e', 'enable', '-i', 'out'], tty: true },
    { args: ['-l'] },
    { args: ['-p', 'check'], tty: true },
    { args: ['-e', 'deport', '-i', 'out'], tty: true },
    { args: ['-e', 'disable', '-i', 'out'], tty: true },
    { args: ['-e', 'deport', '-i', 'out'], tty: true },
    { args: ['-l'] },
    { args: ['-e', 'import', '-G', '-', 'config_directory=/etc/postfix-out'], tty: true, status: 0 },
    { args: ['-l'] },
    { args: ['-e', 'destroy', '-i', 'postfix-inbound'], tty: true, status: 0 },
    { args: ['-l'] },
  ],
  tree: true,
});

scenario('start and stop several instances', {
  serial: true,
  steps: [
    { args: ['-e', 'init'] },
    { args: ['-e', 'create', '-I', 'postfix-out'] },
    { args: ['-e', 'create', '-I', 'postfix-two'] },
    { args: ['-e', 'enable', '-i', 'two'] },
    { args: ['=postfix', 'start'], tty: true, status: 0 },
    { args: ['-p', 'status'], tty: true, status: 1 }, // postfix-out is disabled, not started
    { args: ['-p', 'reload'], tty: true },
    { args: ['=postfix', 'stop'], tty: true },
    { args: ['-p', 'status'], tty: true },
  ],
});

scenario('multi_instance_directories without a wrapper, and a secondary main.cf that is missing', {
  setup: (tree) => {
    const mainCf = join(tree.configPath, 'main.cf');
    appendFileSync(mainCf, 'multi_instance_directories = /etc/postfix-gone\n');
  },
  steps: [
    { args: ['=postfix', 'status'], tty: true, status: 1 },
    { args: ['-l'], tty: true, status: 1 },
    {
      args: ['=postfix', 'status'], tty: true,
      before: (tree) => appendFileSync(join(tree.configPath, 'main.cf'), 'multi_instance_wrapper = /nonexistent/wrapper -p --\n'),
    },
  ],
});
