/*
 * log_instance - a private reference master(8) that runs only the postlog service, writing
 * maillog_file in a temp directory. The postlogd it runs is the reference one, or the
 * one in another daemon directory (a temp directory of symlinks, so that master finds our
 * postlogd by its name). The test that starts it stops it (master's process group).
 * linesOf() tells which log lines a step added; CLIENTS are commands that log.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { runReference, tempDir, type RunOptions } from './diff.js';
import type { DevLog, SyslogRecord } from './devlog.js';
import { instanceMainCf, makeInstanceLayout, masterCfLines, NO_LOCAL_DELIVERY, writeInstanceConfig } from './instance_layout.js';
import { OUR_DAEMON_DIR, REF_DAEMON_DIR } from './paths.js';

export interface LogInstance {
  dir: string;
  /** With opts.syslog: every record that reached /dev/log so far. */
  syslog: SyslogRecord[];
  pollSyslog(): SyslogRecord[];
  config: string;
  spool: string;
  maillog: string;
  /** Wait until the maillog has at least count lines; returns them all. */
  waitForLines(count: number, timeoutMs?: number): Promise<string[]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A daemon directory of links to the reference daemons, with postlogd replaced by ours. */
export function daemonDirWithOurPostlogd(t: ExecutionContext): string {
  const dir = tempDir(t, 'pf-daemons-');
  chmodSync(dir, 0o755);
  for (const name of readdirSync(REF_DAEMON_DIR)) symlinkSync(join(REF_DAEMON_DIR, name), join(dir, name));
  rmSync(join(dir, 'postlogd'));
  symlinkSync(join(OUR_DAEMON_DIR, 'postlogd'), join(dir, 'postlogd'));
  return dir;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

function readLines(path: string): string[] {
  try {
    return splitLines(readFileSync(path, 'latin1'));
  } catch {
    return [];
  }
}

export interface LogInstanceOptions {
  daemonDir?: string;
  mainCf?: string;
  /**
   * No maillog_file: master runs in this DevLog's namespace (master -w, which returns once
   * the daemon runs), logging to syslog; postlogd passes records on to syslog.
   */
  syslog?: DevLog;
  /** maillog_file = /dev/stdout: the lines are what postlogd writes to master's stdout. */
  stdout?: boolean;
}

/** Start master with the postlog service; main.cf gets extra settings appended. */
export async function startLogInstance(t: ExecutionContext, opts: LogInstanceOptions = {}): Promise<LogInstance> {
  const layout = makeInstanceLayout(t, 'pf-loginst-');
  const { dir, config, spool, maillog } = layout;
  writeInstanceConfig(layout, instanceMainCf(layout, [...NO_LOCAL_DELIVERY, opts.mainCf ?? ''], {
    daemonDir: opts.daemonDir,
    maillog: opts.syslog !== undefined ? null : opts.stdout ? '/dev/stdout' : maillog,
  }), masterCfLines('postlog'));
  const syslog: SyslogRecord[] = [];
  const pollSyslog = () => {
    if (opts.syslog !== undefined) syslog.push(...opts.syslog.records());
    return syslog;
  };
  let masterPid: number;
  const stdoutChunks: Buffer[] = [];
  const currentLines = () => (opts.stdout ? splitLines(Buffer.concat(stdoutChunks).toString('latin1')) : readLines(maillog));
  if (opts.syslog === undefined) {
    // Node hands a child a socket, not a pipe, as its stdout; /dev/stdout cannot be opened
    // on a socket. cat puts a real pipe between master (and its children) and us.
    const [file, args] = opts.stdout
      ? ['/bin/sh', ['-c', '"$0" "$@" | cat', join(REF_DAEMON_DIR, 'master'), '-c', config, '-d']]
      : [join(REF_DAEMON_DIR, 'master'), ['-c', config, '-d']];
    const master = spawn(file, args, { detached: true, stdio: ['ignore', opts.stdout ? 'pipe' : 'ignore', 'ignore'] });
    master.stdout?.on('data', (b: Buffer) => stdoutChunks.push(b));
    master.unref();
    masterPid = master.pid!;
  } else {
    const started = await opts.syslog.run(join(REF_DAEMON_DIR, 'master'), ['-c', config, '-w']);
    if (started.status !== 0) throw new Error(`master -w: ${JSON.stringify(started)}`);
    masterPid = Number(readFileSync(join(spool, 'pid', 'master.pid'), 'latin1').trim());
  }
  t.teardown(async () => {
    try {
      process.kill(-masterPid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    for (let i = 0; i < 50 && existsSync(`/proc/${masterPid}`); i++) await sleep(100);
    try {
      process.kill(-masterPid, 'SIGKILL');
    } catch {
      // gone
    }
  });
  const socket = join(spool, 'public', 'postlog');
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(100);
  if (!existsSync(socket)) throw new Error(`master did not start: ${currentLines().join('\n')}`);
  if (opts.syslog === undefined) {
    // master's first record, sent before postlogd ran, shows that postlogd is at work.
    for (let i = 0; i < 300 && !currentLines().some((l) => l.includes(': daemon started -- ')); i++) await sleep(100);
    if (!currentLines().some((l) => l.includes(': daemon started -- '))) {
      throw new Error(`postlogd did not log master's start: ${currentLines().join('\n')}`);
    }
  } else {
    for (let i = 0; i < 300 && !pollSyslog().some((r) => r.text.startsWith('daemon started -- ')); i++) await sleep(100);
    if (!syslog.some((r) => r.text.startsWith('daemon started -- '))) throw new Error('master did not log its start to syslog');
  }
  return {
    dir, config, spool, maillog, syslog, pollSyslog,
    async waitForLines(count: number, timeoutMs = 30_000): Promise<string[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lines = currentLines();
        if (lines.length >= count || Date.now() > deadline) return lines;
        await sleep(100);
      }
    },
  };
}

let markers = 0;

/**
 * The lines a step adds to the log. After the step, the reference postlog logs a marker;
 * the socket keeps datagrams in order, so everything before the marker belongs to the step.
 */
export async function linesOf(inst: LogInstance, step: () => Promise<unknown>): Promise<string[]> {
  const before = (await inst.waitForLines(0)).length;
  await step();
  const marker = `marker ${++markers}`;
  await runReference('postlog', ['-c', inst.config, marker]);
  // Generous: under a loaded CI machine a datagram can take long to reach the file.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const lines = await inst.waitForLines(before + 1, 1000);
    const end = lines.findIndex((l, i) => i >= before && l.endsWith(`: ${marker}`));
    if (end >= 0) return lines.slice(before, end);
    if (Date.now() > deadline) throw new Error(`no ${marker} in ${inst.maillog}: ${lines.slice(before).join('\n')}`);
  }
}

export interface Client {
  name: string;
  args: (inst: LogInstance) => string[];
  opts?: RunOptions;
}

export const CLIENTS: Client[] = [
  { name: 'postlog', args: (i) => ['-c', i.config, 'hello from postlog'] },
  { name: 'postlog', args: (i) => ['-c', i.config, '-p', 'warning', '-t', 'a tag', 'tagged'] },
  { name: 'postlog', args: (i) => ['-c', i.config, '-p', 'error'], opts: { input: 'one\ntwo\n' } },
  { name: 'postmap', args: (i) => ['-c', i.config, '-q', 'key', `hash:${i.dir}/nonexistent`] },
  { name: 'postmap', args: (i) => ['-c', i.config, '-q', 'key', 'bogus:table'] },
  { name: 'postsuper', args: (i) => ['-c', i.config, '-d', 'ABCDEF'] },
  { name: 'postsuper', args: (i) => ['-c', i.config, 'bogus'] },
];
