/*
 * postlock, ours against the reference: the same stdout, stderr, exit status and files for
 * usage errors, bad lock styles, commands that fail or cannot run, and mailboxes that
 * cannot be opened; and the locks themselves: while one postlock (ours, or the reference's)
 * holds a mailbox with one lock style, the other tries with each style, and both give up
 * (or get in) the same way. A dot-lock older than stale_lock_time is broken by both.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference, tempDir, type RunResult } from '../helpers/diff.js';
import { oldConfig } from '../helpers/maillog.js';
import { ourCommand, referenceCommand } from '../helpers/paths.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(t: ExecutionContext, settings: Record<string, string> = {}): { dir: string; config: string } {
  const dir = tempDir(t, 'pf-postlock-');
  const all = { deliver_lock_attempts: '2', deliver_lock_delay: '1s', ...settings };
  const mainCf = Object.entries(all).map(([name, value]) => `${name} = ${value}\n`).join('');
  return { dir, config: oldConfig(t, { 'main.cf': mainCf }) };
}

/** Names, types and modes of the files in dir: what a run leaves behind. */
function listing(dir: string): string[] {
  return readdirSync(dir).sort().map((name) => `${name} ${lstatSync(join(dir, name)).mode.toString(8)}`);
}

const SIMPLE: Array<[string, string[]]> = [
  ['no arguments', []],
  ['no command', ['mbox']],
  ['a bad option', ['-x', 'mbox', 'true']],
  ['a bad lock style', ['-l', 'fcntl,bogus', 'mbox', 'true']],
  ['a configuration directory without main.cf', ['-c', '/nonexistent', 'mbox', 'true']],
  ['an empty lock style list', ['-l', ',', 'mbox', 'true']],
  ['a command that succeeds', ['mbox', 'sh', '-c', 'echo out; echo err >&2']],
  ['the exit status of the command', ['mbox', 'sh', '-c', 'exit 7']],
  ['a command killed by a signal', ['mbox', 'sh', '-c', 'kill -9 $$']],
  ['a command that does not exist', ['mbox', 'no-such-command-here']],
  ['a command that is not executable', ['mbox', '/etc/passwd']],
  ['the lock file exists while the command runs', ['-l', 'dotlock', 'mbox', 'sh', '-c', 'ls -l mbox.lock | cut -c1-10']],
  ['a mailbox in a directory that does not exist', ['no/such/mbox', 'true']],
  ['the same without dot-lock', ['-l', 'fcntl, flock', 'no/such/mbox', 'true']],
  ['a mailbox that is a directory', ['subdir', 'true']],
  ['a mailbox that is a symbolic link', ['link', 'true']],
  ['a mailbox with two hard links', ['linked', 'true']],
  ['/dev/null as the mailbox', ['-l', 'fcntl, flock, dotlock', '/dev/null', 'true']],
];

for (const [what, args] of SIMPLE) {
  test(`postlock: ${what}`, async (t) => {
    if (!requireRoot(t)) return;
    const results: RunResult[] = [];
    const after: string[][] = [];
    for (const run of [runReference, runOurs]) {
      const { dir, config } = setup(t);
      const { mkdirSync, symlinkSync, linkSync } = await import('node:fs');
      mkdirSync(join(dir, 'subdir'));
      symlinkSync(join(dir, 'target'), join(dir, 'link'));
      writeFileSync(join(dir, 'linked'), '');
      linkSync(join(dir, 'linked'), join(dir, 'linked2'));
      results.push(await run('postlock', ['-c', config, ...args], { cwd: dir }));
      after.push(listing(dir));
    }
    t.deepEqual(results[1], results[0]);
    t.deepEqual(after[1], after[0]);
  });
}

/** Start a postlock that holds the mailbox until the test kills it; resolves when it holds it. */
async function holdLock(t: ExecutionContext, path: string, config: string, dir: string, style: string): Promise<void> {
  const ready = join(dir, 'holding');
  const child = spawn(path, ['-c', config, '-l', style, join(dir, 'mbox'), 'sh', '-c', `touch ${ready}; exec sleep 60`], {
    argv0: 'postlock', stdio: 'ignore', detached: true,
  });
  t.teardown(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  });
  for (let i = 0; i < 300 && !existsSync(ready); i++) await sleep(100);
  if (!existsSync(ready)) throw new Error(`${path} did not take the lock`);
}

const STYLES = ['fcntl', 'flock', 'dotlock'];

for (const holder of ['reference', 'ours'] as const) {
  for (const held of STYLES) {
    test(`${holder} postlock holds a ${held} lock; both try each style`, async (t) => {
      if (!requireRoot(t)) return;
      const { dir, config } = setup(t);
      await holdLock(t, holder === 'ours' ? ourCommand('postlock') : referenceCommand('postlock'), config, dir, held);
      for (const wanted of STYLES) {
        const args = ['-c', config, '-l', wanted, join(dir, 'mbox'), 'echo', 'got it'];
        const ref = await runReference('postlock', args);
        const ours = await runOurs('postlock', args);
        t.deepEqual(ours, ref, wanted);
        t.is(ref.status, held === wanted ? 75 : 0, wanted);
      }
    });
  }
}

test('a lock that goes away while postlock waits for it', async (t) => {
  if (!requireRoot(t)) return;
  for (const style of STYLES) {
    const results: RunResult[] = [];
    for (const run of [runReference, runOurs]) {
      const { dir, config } = setup(t, { deliver_lock_attempts: '30' });
      const ready = join(dir, 'holding');
      const holder = spawn(referenceCommand('postlock'), ['-c', config, '-l', style, join(dir, 'mbox'), 'sh', '-c', `touch ${ready}; exec sleep 2`], {
        argv0: 'postlock', stdio: 'ignore', detached: true,
      });
      t.teardown(() => {
        try {
          process.kill(-holder.pid!, 'SIGKILL');
        } catch {
          // gone already
        }
      });
      for (let i = 0; i < 300 && !existsSync(ready); i++) await sleep(100);
      results.push(await run('postlock', ['-c', config, '-l', style, join(dir, 'mbox'), 'echo', 'got it']));
    }
    t.deepEqual(results[1], results[0], style);
    t.is(results[0]!.status, 0, style);
  }
});

test('a stale dot-lock file is removed', async (t) => {
  if (!requireRoot(t)) return;
  const results: RunResult[] = [];
  for (const run of [runReference, runOurs]) {
    const { dir, config } = setup(t, { stale_lock_time: '1s', deliver_lock_attempts: '5' });
    writeFileSync(join(dir, 'mbox.lock'), '');
    await sleep(2100); // stale_lock_time counts from the inode change time, which cannot be set back
    results.push(await run('postlock', ['-c', config, '-l', 'dotlock', join(dir, 'mbox'), 'echo', 'got it']));
    t.false(existsSync(join(dir, 'mbox.lock')));
  }
  t.deepEqual(results[1], results[0]);
  t.is(results[0]!.status, 0);
});

test('MAIL_CONFIG and MAIL_VERBOSE; mailbox_delivery_lock from main.cf', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, config } = setup(t, { mailbox_delivery_lock: 'dotlock' });
  await holdLock(t, referenceCommand('postlock'), config, dir, 'dotlock');
  const args = [join(dir, 'mbox'), 'true'];
  const ref = await runReference('postlock', args, { env: { MAIL_CONFIG: config } });
  const ours = await runOurs('postlock', args, { env: { MAIL_CONFIG: config } });
  t.deepEqual(ours, ref);
  t.is(ref.status, 75);
  // Verbose: main.cf processing chatter differs (mynetworks and the like); the lock part may not.
  const verbose = { env: { MAIL_CONFIG: config, MAIL_VERBOSE: '1' } };
  const pick = (r: RunResult) => r.stderr.split('\n').filter((l) => /name_mask: (fcntl|flock|dotlock)$|fatal/.test(l));
  const [refV, oursV] = [await runReference('postlock', args, verbose), await runOurs('postlock', args, verbose)];
  t.deepEqual(pick(oursV), pick(refV));
  t.true(pick(refV).length >= 2);
  t.is(oursV.status, refV.status);
});
