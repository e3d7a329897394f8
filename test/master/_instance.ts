/*
 * _instance - private mail system instances for the master(8) tests: a temp directory with
 * etc/ (main.cf, master.cf), spool/ (the queue, made as Postfix makes it), data/ and a
 * maillog_file, run by our master or the reference one. Every process of an instance has
 * MAIL_CONFIG=<its etc> in its environment; teardown kills the master's process group and
 * anything else that still carries the instance's MAIL_CONFIG.
 */
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { instanceMainCf, makeInstanceLayout } from '../helpers/instance_layout.js';
import { OUR_DAEMON_DIR, REF_DAEMON_DIR, TOP } from '../helpers/paths.js';

export type Which = 'ours' | 'reference';

export interface Instance {
  dir: string;
  config: string;
  spool: string;
  data: string;
  maillog: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function masterPath(which: Which): string {
  return join(which === 'ours' ? OUR_DAEMON_DIR : REF_DAEMON_DIR, 'master');
}

/** A new instance directory; nothing runs yet. */
export function makeInstance(t: ExecutionContext, opts: { masterCf: string; mainCf?: string[]; daemonDir?: string; dir?: string }): Instance {
  const layout = makeInstanceLayout(t, 'pf-master-', opts.dir);
  const { dir, config, spool, data, maillog } = layout;
  writeMainCf(config, instanceMainCf(layout, opts.mainCf ?? [], { daemonDir: opts.daemonDir }));
  writeFileSync(join(config, 'master.cf'), opts.masterCf);
  return { dir, config, spool, data, maillog };
}

/**
 * Write main.cf with a time stamp in the past: a main.cf changed within the last second is
 * read twice (both masters wait for it to cool down), which would repeat its warnings.
 */
export function writeMainCf(config: string, lines: readonly string[]): void {
  const path = join(config, 'main.cf');
  writeFileSync(path, [...lines, ''].join('\n'));
  const past = new Date(Date.now() - 60_000);
  utimesSync(path, past, past);
}

/** Processes whose environment says MAIL_CONFIG=config (an instance's master and daemons). */
export function instanceProcesses(config: string): number[] {
  const wanted = Buffer.from(`MAIL_CONFIG=${config}\0`);
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`);
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (/^\d+ \(.*\) Z /s.test(stat)) continue; // a zombie is dead already
      if (Buffer.concat([Buffer.from('\0'), env]).includes(Buffer.concat([Buffer.from('\0'), wanted]))) found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Poll until cond() is truthy; throws with what after timeoutMs. */
export async function waitFor<T>(what: string, cond: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = cond();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export function readLog(inst: Instance): string {
  try {
    return readFileSync(inst.maillog, 'latin1');
  } catch {
    return '';
  }
}

/** The pid in the instance's pid file, or undefined. */
export function masterPid(inst: Instance): number | undefined {
  try {
    const pid = Number(readFileSync(join(inst.spool, 'pid', 'master.pid'), 'latin1').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Kill everything of the instance: the master's process group, then stragglers. */
export async function killInstance(inst: Instance): Promise<void> {
  const pid = masterPid(inst);
  for (let round = 0; round < 50; round++) {
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // no such group (any more)
      }
    }
    const left = instanceProcesses(inst.config);
    if (left.length === 0) return;
    for (const p of left) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await sleep(100);
  }
}

export interface RunStatus {
  status: number | string;
  stdout: string;
  stderr: string;
}

/** Run a master command line to its end (-t, -w, bad options). */
export function runMaster(which: Which, args: readonly string[], env: Record<string, string>): Promise<RunStatus> {
  return new Promise((resolve, reject) => {
    const child = spawn(masterPath(which), args, {
      argv0: 'master',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({
      status: code ?? signal ?? 'unknown',
      stdout: Buffer.concat(out).toString('latin1'),
      stderr: Buffer.concat(err).toString('latin1'),
    }));
  });
}

/**
 * Start an instance's master with -w, as "postfix start" does; returns the daemon's pid.
 * The teardown kills the whole instance.
 */
export async function startInstance(t: ExecutionContext, inst: Instance, which: Which, extraArgs: string[] = []): Promise<number> {
  t.teardown(() => killInstance(inst));
  const started = await runMaster(which, ['-w', ...extraArgs], { MAIL_CONFIG: inst.config });
  if (started.status !== 0) throw new Error(`${which} master -w: status ${started.status}: ${started.stderr}\n${readLog(inst)}`);
  return waitFor('the pid file', () => masterPid(inst), 10_000);
}

export interface Started {
  pid: number;
  /** How the master process ended: its exit code or the signal that killed it. */
  ended: Promise<number | string>;
}

/**
 * Start an instance's master with the given options (-d among them), as a child of the
 * test in a session of its own, standard descriptors on /dev/null; returns when the pid
 * file names it. The teardown kills the whole instance.
 */
export async function startInstanceNoDetach(t: ExecutionContext, inst: Instance, which: Which, args: string[]): Promise<Started> {
  t.teardown(() => killInstance(inst));
  const child = spawn(masterPath(which), args, {
    argv0: 'master', detached: true, stdio: 'ignore',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', TZ: 'UTC', MAIL_CONFIG: inst.config },
  });
  const ended = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const pid = await Promise.race([
    waitFor('the pid file', () => masterPid(inst) === child.pid && child.pid, 20_000),
    ended.then((how) => {
      throw new Error(`${which} master ${args.join(' ')} ended: ${how}\n${readLog(inst)}`);
    }),
  ]);
  return { pid, ended };
}

/** A daemon directory with the recorder and the reference postlogd. */
export function daemonDirectory(dir: string): { daemonDir: string; recDir: string } {
  const daemonDir = join(dir, 'sbin');
  const recDir = join(dir, 'rec');
  mkdirSync(daemonDir);
  mkdirSync(recDir, { mode: 0o777 });
  execFileSync('cc', ['-Wall', `-DREC_DIR="${recDir}"`, '-o', join(daemonDir, 'rec'), join(TOP, 'test', 'master', 'master_recorder.c')]);
  symlinkSync(join(REF_DAEMON_DIR, 'postlogd'), join(daemonDir, 'postlogd'));
  return { daemonDir, recDir };
}

/** A port for a test service on the loopback address (collisions are unlikely). */
export function freePort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

/** Connect and hang up: the connection waits in the listen queue, which is all master looks at. */
export async function knock(path: string | number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const sock = typeof path === 'number' ? connect({ host: '127.0.0.1', port: path }) : connect(path);
    sock.on('connect', () => {
      sock.destroy();
      resolve();
    });
    sock.on('error', reject);
  });
}

