/*
 * Our master(8) running the reference Postfix daemons: a message submitted with the
 * reference sendmail is delivered by the reference local(8) (to a file, through an
 * alias), the reference postqueue and "postfix status" work against it, a daemon killed
 * with SIGKILL is replaced, SIGHUP reloads master.cf, and SIGTERM stops everything.
 */
import test, { type ExecutionContext } from 'ava';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { runReference, tempDir, type RunResult } from '../helpers/diff.js';
import { masterCfLines } from '../helpers/instance_layout.js';
import { REF_DAEMON_DIR } from '../helpers/paths.js';
import {
  instanceProcesses, makeInstance, masterPid, readLog, runMaster, sleep, startInstance, waitFor, type Instance,
} from './_instance.js';

const MASTER_CF = [
  ...masterCfLines('pickup', 'cleanup', 'qmgr', 'rewrite', 'bounce', 'defer', 'trace', 'flush', 'showq', 'error', 'retry',
    'discard', 'local', 'postlog'),
  '',
].join('\n');

/** An instance whose local recipient "box" is an alias for a file in a world-writable directory. */
function deliveryInstance(t: ExecutionContext): { inst: Instance; mbox: string } {
  const dir = tempDir(t, 'pf-master-');
  const boxes = join(dir, 'boxes');
  mkdirSync(boxes);
  chmodSync(boxes, 0o1777);
  const mbox = join(boxes, 'box.mbox');
  const inst = makeInstance(t, {
    dir,
    masterCf: MASTER_CF,
    mainCf: [
      'mydestination = localhost, $myhostname',
      `alias_maps = inline:{ { box = ${mbox} } }`,
      'alias_database =',
      // Deliveries to files from a root-owned (here: inline) table run as default_privs.
      'default_privs = nobody',
      'default_transport = retry:no remote delivery in this test',
      'service_throttle_time = 2s',
      'delay_warning_time = 4h',
    ],
  });
  return { inst, mbox };
}

async function send(t: ExecutionContext, inst: Instance, rcpt: string, subject: string): Promise<void> {
  const text = `From: sender@example.test\nTo: ${rcpt}\nSubject: ${subject}\n\nbody of ${subject}\n`;
  const sent = await runReference('sendmail', ['-f', 'sender@example.test', rcpt], { input: text, env: { MAIL_CONFIG: inst.config } });
  t.is(sent.status, 0, sent.stderr);
}

const mboxHas = (mbox: string, subject: string) => existsSync(mbox) && readFileSync(mbox, 'latin1').includes(`Subject: ${subject}\n`);

/** The pid of the one process of the instance that runs a daemon program. */
function daemonPid(inst: Instance, program: string): number | undefined {
  for (const pid of instanceProcesses(inst.config)) {
    try {
      const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[0];
      if (argv0 === program) return pid;
    } catch {
      // gone
    }
  }
  return undefined;
}

test.serial('delivery through the reference daemons; postqueue, postfix status, master -t; SIGKILL and SIGTERM', async (t) => {
  const { inst, mbox } = deliveryInstance(t);
  const pid = await startInstance(t, inst, 'ours');
  await waitFor('the start line', () => readLog(inst).includes(
    `postfix/master[${pid}]: daemon started -- version 3.7.11, configuration ${inst.config}\n`), 10_000);

  // The pid file and the lock in data_directory, as the reference writes them.
  const pidText = `${String(pid).padStart(32)}\n`;
  t.is(readFileSync(join(inst.spool, 'pid', 'master.pid'), 'latin1'), pidText);
  t.is(readFileSync(join(inst.data, 'master.lock'), 'latin1'), pidText);

  // Both masters' -t agree that one runs; so does the reference "postfix status".
  const env = { MAIL_CONFIG: inst.config };
  t.is((await runMaster('reference', ['-t'], env)).status, 1);
  t.is((await runMaster('ours', ['-t'], env)).status, 1);
  const status = await runReference('postfix', ['-c', inst.config, 'status'], { env });
  t.is(status.status, 0, status.stderr);
  await waitFor('the status line', () => readLog(inst).includes(`the Postfix mail system is running: PID: ${pid}\n`), 10_000);

  await send(t, inst, 'box@localhost', 'first');
  await waitFor('the first delivery', () => mboxHas(mbox, 'first'));
  t.regex(readFileSync(mbox, 'latin1'), /^From sender@example\.test .*\n[^]*\nSubject: first\n[^]*\n\nbody of first\n/);

  // A message for elsewhere stays in the queue (deferred); showq lists it ("*" while the
  // queue manager has it in the active queue).
  await send(t, inst, 'someone@remote.example', 'stays');
  let queue: RunResult | undefined;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    queue = await runReference('postqueue', ['-c', inst.config, '-p'], { env });
    if (queue.stdout.includes('(no remote delivery in this test)')) break;
  }
  if (queue === undefined) throw new Error('no postqueue run');
  t.is(queue.status, 0, queue.stderr);
  t.regex(queue.stdout, /^-Queue ID- {2}--Size-- ----Arrival Time---- -Sender\/Recipient-------\n[0-9A-F]+[*!]? +\d+ \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d {2}sender@example\.test\n/);
  t.regex(queue.stdout, / {8}someone@remote\.example\n\n-- \d+ Kbytes in 1 Request\.\n$/);

  // A resident daemon killed with SIGKILL: master logs it, and the next message still goes through.
  const qmgr = await waitFor('a qmgr process', () => daemonPid(inst, 'qmgr'), 10_000);
  process.kill(qmgr, 'SIGKILL');
  await waitFor('the warning about qmgr', () => readLog(inst).includes(
    `postfix/master[${pid}]: warning: process ${REF_DAEMON_DIR}/qmgr pid ${qmgr} killed by signal 9\n`), 10_000);
  await send(t, inst, 'box@localhost', 'second');
  await waitFor('the second delivery', () => mboxHas(mbox, 'second'));
  t.not(daemonPid(inst, 'qmgr'), qmgr);

  // SIGTERM: master and every daemon go away; the pid file stays, unlocked.
  t.true(instanceProcesses(inst.config).length > 1);
  process.kill(pid, 'SIGTERM');
  await waitFor('the end of every process of the instance', () => instanceProcesses(inst.config).length === 0, 20_000);
  t.is((await runMaster('reference', ['-t'], env)).status, 0);
  t.is((await runMaster('ours', ['-t'], env)).status, 0);
  t.is(masterPid(inst), pid);
});

test.serial('SIGHUP: reload logged, a new master.cf service comes up, a removed one goes', async (t) => {
  const { inst } = deliveryInstance(t);
  const pid = await startInstance(t, inst, 'ours');
  const cf = join(inst.config, 'master.cf');
  // discard goes, discard2 comes.
  writeFileSync(cf, readFileSync(cf, 'latin1').replace(/^discard .*$/m, 'discard2  unix  -       -       n       -       -       discard'));
  process.kill(pid, 'SIGHUP');
  await waitFor('the reload line', () => readLog(inst).includes(
    `postfix/master[${pid}]: reload -- version 3.7.11, configuration ${inst.config}\n`), 10_000);
  await waitFor('the new socket', () => existsSync(join(inst.spool, 'private', 'discard2')), 10_000);
  // The new service answers: discard(8) speaks first on its socket; the old one is closed.
  const greeting = await firstBytes(join(inst.spool, 'private', 'discard2'));
  t.true(greeting.startsWith('protocol\0delivery_request_protocol\0'), JSON.stringify(greeting));
  await t.throwsAsync(firstBytes(join(inst.spool, 'private', 'discard')), { code: 'ECONNREFUSED' });
});

/** What a server sends first on a UNIX-domain socket. */
function firstBytes(path: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const sock = connect(path);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no greeting on ${path}`));
    }, 20_000);
    sock.on('data', (b: Buffer) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(b.toString('latin1'));
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
