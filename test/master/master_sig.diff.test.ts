/*
 * master(8) signals, ours against the reference on the same instance: SIGTERM, SIGINT and
 * SIGQUIT end master by that same signal and take every daemon with it (the process
 * group); SIGHUP re-reads main.cf and master.cf: removed services' processes are stopped
 * without a word, changed services get a new generation, and parameters that need a
 * restart are reported. Compared: how master ended, master's log lines (pids masked),
 * the recorded children.
 */
import test, { type ExecutionContext } from 'ava';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import {
  daemonDirectory, freePort, instanceProcesses, killInstance, knock, makeInstance, readLog, startInstanceNoDetach, waitFor,
  writeMainCf, type Instance, type Which,
} from './_instance.js';

function recordingCount(recDir: string): number {
  return readdirSync(recDir).filter((n) => n.startsWith('rec.')).length;
}

function masterLines(inst: Instance): string[] {
  return readLog(inst).split('\n').filter((l) => / postfix\/master\[\d+\]: /.test(l))
    .map((l) => l.replace(/^.*? postfix\/master\[\d+\]: /, '').replace(/ pid \d+ /, ' pid N '))
    .sort();
}

function setup(t: ExecutionContext) {
  const dir = tempDir(t, 'pf-master-sig-');
  const { daemonDir, recDir } = daemonDirectory(dir);
  const port = freePort();
  const mainCf = ['service_throttle_time = 100s'];
  const inst = makeInstance(t, {
    dir,
    daemonDir,
    mainCf,
    masterCf: [
      'postlog   unix-dgram n  -       n       -       1       postlogd',
      'stays     unix  -       -       n       -       -       rec busy',
      'goes      unix  -       -       n       -       -       rec busy',
      'changes   unix  -       -       n       -       -       rec busy',
      `${port}      inet  n       -       n       -       -       rec busy`,
      '',
    ].join('\n'),
  });
  return { dir, daemonDir, recDir, port, mainCf, inst };
}

async function startWithChildren(t: ExecutionContext, which: Which, s: ReturnType<typeof setup>) {
  for (const name of readdirSync(s.recDir)) rmSync(join(s.recDir, name));
  writeFileSync(s.inst.maillog, '');
  const started = await startInstanceNoDetach(t, s.inst, which, ['-d']);
  await waitFor('the start line', () => readLog(s.inst).includes(`postfix/master[${started.pid}]: daemon started`), 20_000);
  for (const name of ['stays', 'goes', 'changes']) await knock(join(s.inst.spool, 'private', name));
  await knock(s.port);
  await waitFor('four busy children', () => recordingCount(s.recDir) === 4, 20_000);
  return started;
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) {
  test.serial(`${signal}: master dies by it, and every daemon with it`, async (t) => {
    const s = setup(t);
    const results: (number | string)[] = [];
    for (const which of ['reference', 'ours'] as Which[]) {
      const started = await startWithChildren(t, which, s);
      t.true(instanceProcesses(s.inst.config).length >= 6); // master, postlogd, four children
      process.kill(started.pid, signal);
      results.push(await started.ended);
      await waitFor('no process of the instance', () => instanceProcesses(s.inst.config).length === 0, 20_000);
      await killInstance(s.inst);
    }
    t.is(results[0], signal);
    t.is(results[1], results[0]);
  });
}

test.serial('SIGHUP: reload with changed main.cf and master.cf', async (t) => {
  const s = setup(t);
  const logs: string[][] = [];
  const recordings: string[][] = [];
  const masterCf = join(s.inst.config, 'master.cf');
  const original = readFileSync(masterCf, 'latin1');
  for (const which of ['reference', 'ours'] as Which[]) {
    writeFileSync(masterCf, original);
    writeMainCf(s.inst.config, [...readFileSync(join(s.inst.config, 'main.cf'), 'latin1').split('\n').filter((l) => l !== ''
      && !/^(inet_protocols|inet_interfaces) =/.test(l)), 'inet_protocols = ipv4', 'inet_interfaces = loopback-only']);
    const started = await startWithChildren(t, which, s);
    const children = instanceProcesses(s.inst.config).length;
    // "goes" goes, "changes" gets another argument, "new" comes; two parameters change.
    writeFileSync(masterCf, original.replace(/^goes .*\n/m, '')
      .replace(/^changes (.*) rec busy$/m, 'changes $1 rec extra busy').concat('new       unix  -       -       n       -       1       rec busy\n'));
    writeMainCf(s.inst.config, [...readFileSync(join(s.inst.config, 'main.cf'), 'latin1').split('\n').filter((l) => l !== ''
      && !/^(inet_protocols|inet_interfaces) =/.test(l)), 'inet_protocols = all', 'inet_interfaces = 127.0.0.1']);
    process.kill(started.pid, 'SIGHUP');
    await waitFor('the reload line', () => readLog(s.inst).includes('reload -- version 3.7.11'), 20_000);
    // The child of the removed service is gone; the others stay.
    await waitFor('one process less', () => instanceProcesses(s.inst.config).length === children - 1, 20_000);
    await knock(join(s.inst.spool, 'private', 'changes'));
    await knock(join(s.inst.spool, 'private', 'new'));
    await waitFor('six children recorded', () => recordingCount(s.recDir) === 6, 20_000);
    await waitFor('the warnings', () => masterLines(s.inst).length >= 7, 20_000).catch(() => undefined);
    logs.push(masterLines(s.inst));
    recordings.push(readdirSync(s.recDir).filter((n) => n.startsWith('rec.'))
      .map((n) => readFileSync(join(s.recDir, n), 'latin1').split('\n').filter((l) => l.startsWith('argv')).join(' ')).sort());
    await killInstance(s.inst);
  }
  t.true(logs[0]!.some((l) => l.startsWith('warning: ignoring inet_protocols parameter value change')), logs[0]!.join('\n'));
  t.deepEqual(logs[1], logs[0]);
  t.deepEqual(recordings[1], recordings[0]);
});
