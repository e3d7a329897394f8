/*
 * master_spawn - start child processes, reap them, and throttle a service whose children
 * die before doing any work.
 * Counterpart: postfix/src/master/master_spawn.c. Node cannot fork, so a child is started
 * with posix_spawn() (sys_process.ts) with the same descriptors as Postfix's dup2() calls
 * give it: 0-2 as master has them, 3/4 the flow pipe, 5 the status channel, 6... the
 * listen sockets. The generation goes into the environment, in octal.
 * When the exec itself fails, posix_spawn() says so to master and leaves no child; master
 * then starts master_exec_failure.js in the child's place, which logs and dies as a
 * Postfix child does.
 */
import { fileURLToPath } from 'node:url';
import { msg } from '../util/msg.js';
import { isErrno, strerror } from '../util/strerror.js';
import {
  WEXITSTATUS, WIFEXITED, WIFSIGNALED, WIFSTOPPED, WNOHANG, WSTOPSIG, WTERMSIG, posixSpawn, waitPid,
  type WaitResult,
} from '../util/sys_process.js';
import { MASTER_GEN_NAME, MASTER_STAT_AVAIL } from './master_proto.js';
import {
  MASTER_FLAG_CONDWAKE, MASTER_FLAG_MARK, MASTER_FLAG_THROTTLE, masterLimitOk, type MasterProc, type MasterServ,
} from './master_ent.js';
import { masterAvailLess, masterAvailListen, masterAvailMore } from './master_avail.js';
import { masterWakeupInit } from './master_wakeup.js';
import { masterFlowPipe } from './master_flow.js';
import { masterTimer } from './master_timer.js';
import { masterInitMode } from './master_sig.js';
import { masterArgv0 } from './master_vars.js';

/** Postfix: master_child_table, by pid. */
export const masterChildTable = new Map<number, MasterProc>();

let masterGeneration = 0;

const SIGTERM = 15;
const MASTER_KILL_SIGNAL = SIGTERM;

/** The program that stands in for a child whose program cannot be executed. */
const EXEC_FAILURE_MODULE = fileURLToPath(new URL('./master_exec_failure.js', import.meta.url));

/* posix_spawn() errors of the exec step; the others are the fork step's. */
const EXEC_ERRORS = ['ENOENT', 'EACCES', 'ENOEXEC', 'ENOTDIR', 'ELOOP', 'ETXTBSY', 'ENAMETOOLONG', 'EISDIR', 'EPERM', 'E2BIG'];

/** Postfix: master_unthrottle(). */
function masterUnthrottle(serv: MasterServ): void {
  if (serv.flags & MASTER_FLAG_THROTTLE) {
    serv.flags &= ~MASTER_FLAG_THROTTLE;
    serv.throttleTimer?.cancel();
    serv.throttleTimer = null;
    if (msg.verbose) msg.info(`throttle released for command ${serv.path}`);
    masterAvailListen(serv);
  }
}

/** Postfix: master_throttle(). */
function masterThrottle(serv: MasterServ): void {
  if ((serv.flags & MASTER_FLAG_THROTTLE) === 0) {
    serv.flags |= MASTER_FLAG_THROTTLE;
    serv.throttleTimer = masterTimer(serv.throttleDelay, () => masterUnthrottle(serv));
    if (msg.verbose) msg.info(`throttling command ${serv.path}`);
    masterAvailListen(serv);
  }
}

/** The environment of a child: master's own, with the generation (replaced or appended). */
function childEnvironment(generation: number): string[] {
  const env: string[] = [];
  let replaced = false;
  for (const [name, value] of Object.entries(process.env)) {
    if (name === MASTER_GEN_NAME) {
      env.push(`${MASTER_GEN_NAME}=${generation.toString(8)}`);
      replaced = true;
    } else {
      env.push(`${name}=${value ?? ''}`);
    }
  }
  if (!replaced) env.push(`${MASTER_GEN_NAME}=${generation.toString(8)}`);
  return env;
}

/** Postfix: master_spawn(). */
export function masterSpawn(serv: MasterServ): void {
  const myname = 'master_spawn';
  if (!masterLimitOk(serv.maxProc, serv.totalProc)) msg.panic(`${myname}: at process limit ${serv.totalProc}`);
  if (serv.availProc > 0) msg.panic(`${myname}: processes available: ${serv.availProc}`);
  if (serv.flags & MASTER_FLAG_THROTTLE) msg.panic(`${myname}: throttled service: ${serv.path}`);

  masterGeneration += 1;
  const args = [...serv.args];
  if (serv.stressArg >= 0 && serv.stressExpireTime > Math.floor(Date.now() / 1000)) args[serv.stressArg] = 'stress=yes';
  const fds = [0, 1, 2, masterFlowPipe[0], masterFlowPipe[1], serv.statusFd[1], ...serv.listenFd];
  const env = childEnvironment(masterGeneration);
  let pid: number;
  try {
    pid = posixSpawn({ path: serv.path, argv: args, env, fds });
  } catch (err) {
    if (!isErrno(err, ...EXEC_ERRORS)) {
      msg.warn(`${myname}: fork: ${strerror(err)} -- throttling`);
      masterThrottle(serv);
      return;
    }
    // The program cannot be run: a stand-in child reports it and dies, as Postfix's does.
    try {
      pid = posixSpawn({
        path: process.execPath,
        argv: [args[0]!, ...process.execArgv, EXEC_FAILURE_MODULE, serv.path, (err as NodeJS.ErrnoException).code!, masterArgv0()],
        env,
        fds,
      });
    } catch (err2) {
      msg.warn(`${myname}: fork: ${strerror(err2)} -- throttling`);
      masterThrottle(serv);
      return;
    }
  }
  if (msg.verbose) msg.info(`spawn command ${serv.path}; pid ${pid}`);
  const proc: MasterProc = { pid, gen: masterGeneration, avail: 0, serv, useCount: 0 };
  masterChildTable.set(pid, proc);
  serv.totalProc++;
  masterAvailMore(serv, proc);
  if (serv.flags & MASTER_FLAG_CONDWAKE) {
    serv.flags &= ~MASTER_FLAG_CONDWAKE;
    masterWakeupInit(serv);
    if (msg.verbose) msg.info(`start conditional timer for ${serv.name}`);
  }
}

/** Postfix: master_delete_child(). */
function masterDeleteChild(proc: MasterProc): void {
  const serv = proc.serv;
  serv.totalProc--;
  if (proc.avail === MASTER_STAT_AVAIL) masterAvailLess(serv, proc);
  else masterAvailListen(serv);
  masterChildTable.delete(proc.pid);
}

/** What a dead child's exit status means to master; Postfix: the body of master_reap_child(). */
function masterReapOne({ pid, status }: WaitResult): void {
  if (msg.verbose) msg.info(`master_reap_child: pid ${pid}`);
  const proc = masterChildTable.get(pid);
  if (proc === undefined) {
    if (masterInitMode()) return; // not a Postfix process
    msg.panic(`master_reap: unknown pid: ${pid}`);
  }
  const serv = proc.serv;
  const normal = WIFEXITED(status) && WEXITSTATUS(status) === 0;
  if (!normal) {
    if (WIFSTOPPED(status)) {
      msg.warn(`process ${serv.path} pid ${pid} stopped by signal ${WSTOPSIG(status)}`);
      return;
    }
    if (WIFEXITED(status)) msg.warn(`process ${serv.path} pid ${pid} exit status ${WEXITSTATUS(status)}`);
    // Children that master itself told to go (their service was removed) die silently.
    const sentByMaster = (serv.flags & MASTER_FLAG_MARK) !== 0 && WTERMSIG(status) === MASTER_KILL_SIGNAL;
    if (WIFSIGNALED(status) && !sentByMaster) msg.warn(`process ${serv.path} pid ${pid} killed by signal ${WTERMSIG(status)}`);
    // A child that failed before its first job: assume a structural problem and back off.
    if (proc.useCount === 0 && (serv.flags & MASTER_FLAG_THROTTLE) === 0) {
      msg.warn(`${serv.path}: bad command startup -- throttling`);
      masterThrottle(serv);
    }
  }
  masterDeleteChild(proc);
}

/** Postfix: master_reap_child(). Collect every child that has terminated. */
export function masterReapChild(): void {
  for (;;) {
    let res: WaitResult | null;
    try {
      res = waitPid(-1, WNOHANG);
    } catch (err) {
      if (isErrno(err, 'ECHILD')) return;
      throw err;
    }
    if (res === null) return;
    masterReapOne(res);
  }
}

/** Postfix: master_delete_children(). Stop every child of a service, and wait for them. */
export function masterDeleteChildren(serv: MasterServ): void {
  // Throttle first, so that the reaping below does not take the deaths for a bad start.
  masterThrottle(serv);
  for (const proc of masterChildTable.values()) {
    if (proc.serv === serv) {
      try {
        process.kill(proc.pid, MASTER_KILL_SIGNAL);
      } catch (err) {
        if (!isErrno(err, 'ESRCH')) throw err;
      }
    }
  }
  while (serv.totalProc > 0) {
    let res: WaitResult | null;
    try {
      res = waitPid(-1, 0);
    } catch (err) {
      if (isErrno(err, 'ECHILD')) msg.panic(`master_delete_children: ${serv.name}: ${serv.totalProc} children left, none to wait for`);
      if (isErrno(err, 'EINTR')) continue;
      throw err;
    }
    if (res !== null) masterReapOne(res);
  }
  masterUnthrottle(serv);
}
