/*
 * Side by side: the same instance run by the reference master and by ours, with a
 * recording program (master_recorder.c) as the daemon of several services. What each
 * child got from master (argv, environment, descriptors, signals, ids, umask, directory,
 * session) and what master logged must be the same. Masked: pids, the GENERATION value
 * (the reference spawns its postlogd first, since it logs earlier), descriptor inode
 * numbers (kept as "same object as" labels within one child). One service names a program
 * that does not exist: the child's "fatal: master_spawn: exec ..." must be logged too.
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync, lstatSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import {
  daemonDirectory, freePort, killInstance, knock, makeInstance, readLog, sleep, startInstance, startInstanceNoDetach, waitFor,
  type Instance, type Which,
} from './_instance.js';

/** One recording with its per-child masks applied. */
function maskRecording(text: string): string {
  const labels = new Map<string, string>();
  return text
    .replace(/^env GENERATION=\d+$/m, 'env GENERATION=N')
    .replace(/(pipe|socket):\[(\d+)\]/g, (_, kind: string, inode: string) => {
      if (!labels.has(inode)) labels.set(inode, `#${labels.size + 1}`);
      return `${kind}:[${labels.get(inode)}]`;
    });
}

function recordings(recDir: string): string[] {
  return readdirSync(recDir).filter((n) => n.startsWith('rec.'))
    .map((n) => maskRecording(readFileSync(join(recDir, n), 'latin1'))).sort();
}

/** master's own log lines, pids masked, in a stable order. */
function masterLog(inst: Instance): string[] {
  return readLog(inst).split('\n').filter((l) => / postfix\/master\[\d+\]: /.test(l))
    .map((l) => l.replace(/^.*? postfix\/master\[\d+\]: /, 'master: ').replace(/\bpid \d+\b/, 'pid N')
      .replace(/ generation \d+$/, ' generation G'))
    .filter((l) => !l.startsWith('master: daemon started')) // checked elsewhere, with the pid
    .sort();
}

interface Run {
  recordings: string[];
  log: string[];
  files: string[];
}

/** Run the instance under one master (-w, or -d in the background), poke every service, collect. */
/** Type, mode and owner of the files master creates: endpoints, pid file, data lock. */
function endpointListing(inst: Instance): string[] {
  const listing: string[] = [];
  for (const dir of [join(inst.spool, 'public'), join(inst.spool, 'private'), join(inst.spool, 'pid'), inst.data]) {
    for (const name of readdirSync(dir).sort()) {
      const st = lstatSync(join(dir, name));
      listing.push(`${join(dir, name)} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.isFile() ? st.size : ''}`);
    }
  }
  return listing;
}

function emptyDirectories(inst: Instance, recDir: string): void {
  for (const dir of [recDir, join(inst.spool, 'public'), join(inst.spool, 'private'), join(inst.spool, 'pid'), inst.data]) {
    for (const name of readdirSync(dir)) rmSync(join(dir, name));
  }
  writeFileSync(inst.maillog, '');
}

const RECORDINGS = 12;
const LOG_LINES = 28;

async function runUnder(t: ExecutionContext, which: Which, inst: Instance, recDir: string, port: number, args: string[]): Promise<Run> {
  emptyDirectories(inst, recDir);
  let pid: number;
  if (args.includes('-d')) {
    pid = (await startInstanceNoDetach(t, inst, which, args)).pid;
    await waitFor('the sockets', () => existsSync(join(inst.spool, 'private', 'partial')), 20_000);
  } else {
    pid = await startInstance(t, inst, which, args);
  }
  await waitFor('the start line', () => readLog(inst).includes(`postfix/master[${pid}]: daemon started -- version 3.7.11`), 20_000);
  for (const name of ['rec1', 'rec', 'kill', 'nocmd', 'badgen', 'partial']) await knock(join(inst.spool, 'private', name));
  await knock(join(inst.spool, 'public', 'rec0'));
  // Two busy children of a pass service: the process limit, and stress mode for the second.
  await knock(join(inst.spool, 'private', 'busy'));
  await knock(join(inst.spool, 'private', 'busy'));
  await knock(port);
  // The wake-up services (unix, fifo, inet) start by themselves: the first wake-up comes
  // at once, the next one (30 s later) not before the end of the test.
  await waitFor('all recordings', () => readdirSync(recDir).filter((n) => n.startsWith('rec.')).length >= RECORDINGS, 30_000);
  await waitFor('the log lines', () => masterLog(inst).length >= LOG_LINES, 20_000).catch(() => undefined);
  await sleep(500);
  const run = { recordings: recordings(recDir), log: masterLog(inst), files: endpointListing(inst) };
  await killInstance(inst);
  return run;
}

async function compareMasters(t: ExecutionContext, args: string[]): Promise<void> {
  const dir = tempDir(t, 'pf-master-spawn-');
  const { daemonDir, recDir } = daemonDirectory(dir);
  const port = freePort();
  const inst = makeInstance(t, {
    dir,
    daemonDir,
    mainCf: ['inet_protocols = all', 'service_throttle_time = 100s'],
    masterCf: [
      'postlog   unix-dgram n  -       n       -       1       postlogd',
      'rec1      unix  -       -       n       -       1       rec a {b c} { -o x = $service_name } {}',
      'rec0      unix  n       n       y       -       0       rec -o y=1',
      'rec       unix  -       -       n       -       -       rec',
      'kill      unix  -       -       n       -       7       rec die-by-kill',
      `${port}      inet  n       -       n       -       5       rec`,
      `${port + 1}      inet  n       -       n       30      1       rec read-request`,
      'wake      unix  -       -       n       30      1       rec read-request',
      'fifo      fifo  n       -       n       30      1       rec read-request',
      'nocmd     unix  -       -       n       -       -       nosuchprogram',
      'busy      pass  -       -       n       -       2       rec busy',
      'badgen    unix  -       -       n       -       1       rec badgen',
      'partial   unix  -       -       n       -       1       rec partial',
      '',
    ].join('\n'),
  });
  const ref = await runUnder(t, 'reference', inst, recDir, port, args);
  const ours = await runUnder(t, 'ours', inst, recDir, port, args);
  t.is(ref.recordings.length, RECORDINGS, ref.recordings.join('\n'));
  t.is(ref.log.length, LOG_LINES, ref.log.join('\n'));
  // The wake-up requests: "W" and a NUL over sockets, a bare "W" into a fifo.
  const requests = ref.recordings.map((r) => /\nrequest.*\n/.exec(r)?.[0]).filter((r) => r !== undefined).join('');
  t.is(requests.split('\nrequest 57 00\n').length - 1, 2, requests);
  t.is(requests.split('\nrequest 57\n').length - 1, 1, requests);
  t.deepEqual(ours.recordings, ref.recordings);
  t.deepEqual(ours.log, ref.log);
  t.deepEqual(ours.files, ref.files);
}

test.serial('children of master -w: argv, environment, descriptors, signals; master log lines', async (t) => {
  await compareMasters(t, []);
});

test.serial('children of master -d', async (t) => {
  await compareMasters(t, ['-d']);
});
