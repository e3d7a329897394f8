/*
 * master_monitor - master -w: wait in the foreground until the daemon reports that it
 * started, then exit 0; report a daemon that dies or hangs during its initialization.
 * Counterpart: postfix/src/master/master_monitor.c. Node cannot fork: the foreground
 * process starts a second copy of itself with the same arguments and the write end of a
 * pipe as descriptor 3, named in an environment variable that the copy removes at once
 * (and that clean_env() would remove anyway).
 */
import { closeSync, readSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { readWait } from '../util/poll_fd.js';
import { LAUNCHER_ARGV0_ENV } from '../util/main_module.js';
import { O_CLOEXEC, pipe2, posixSpawn } from '../util/sys_process.js';

/** The variable that tells the daemon copy where its report pipe is. */
export const MASTER_MONITOR_ENV = 'POSTFIX_TS_MASTER_MONITOR_FD';
const MONITOR_FD = 3;

/** In the daemon copy: the report descriptor, or undefined in the foreground process. */
export function masterMonitorChildFd(): number | undefined {
  const value = process.env[MASTER_MONITOR_ENV];
  if (value === undefined) return undefined;
  delete process.env[MASTER_MONITOR_ENV];
  return /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

/**
 * Postfix: master_monitor(). In the foreground process: start the daemon copy and wait
 * for its report; never returns.
 */
export async function masterMonitor(argv: readonly string[], timeLimit: number): Promise<never> {
  if (timeLimit <= 0) msg.panic(`master_monitor: bad time limit: ${timeLimit}`);
  let pipes: [number, number];
  try {
    pipes = pipe2(O_CLOEXEC);
  } catch (err) {
    return msg.fatal(`pipe: ${strerror(err)}`);
  }
  const env = Object.entries({ ...process.env, [LAUNCHER_ARGV0_ENV]: argv[0], [MASTER_MONITOR_ENV]: String(MONITOR_FD) })
    .map(([name, value]) => `${name}=${value ?? ''}`);
  let pid: number;
  try {
    pid = posixSpawn({
      path: process.execPath,
      argv: [argv[0]!, ...process.execArgv, process.argv[1]!, ...argv.slice(1)],
      env,
      fds: [0, 1, 2, pipes[1]],
    });
  } catch (err) {
    return msg.fatal(`fork: ${strerror(err)}`);
  }
  closeSync(pipes[1]);
  const buf = Buffer.alloc(1);
  let count: number;
  try {
    await readWait(pipes[0], timeLimit);
    count = readSync(pipes[0], buf, 0, 1, null);
  } catch (err) {
    msg.warn(`${strerror(err)} while waiting for daemon initialization`);
    // The daemon still runs, but something is wrong.
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    count = 0;
  }
  if (count === 1) process.exit(0);
  return msg.fatal('daemon initialization failure -- see logs for details');
}
