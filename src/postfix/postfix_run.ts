/*
 * postfix_run - what the commands of postfix-script have in common: the installation
 * parameters from the environment, logging the way "postlog -t postfix/postfix-script"
 * does, running programs the way the shell does, and asking master whether it runs.
 * Counterpart: the prologue and helpers of postfix/conf/postfix-script.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { msgPrintf, MSG_FATAL, MSG_INFO, MSG_WARN, type MsgLevel } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { shellWords, toolError } from './postfix_find.js';

/** The installation parameters that postfix(1) exports to its scripts. */
export interface ScriptEnv {
  command_directory: string;
  daemon_directory: string;
  config_directory: string;
  queue_directory: string;
  data_directory: string;
  meta_directory: string;
  shlib_directory: string;
  mail_owner: string;
  setgid_group: string;
}

export interface ScriptContext {
  /** How we were invoked (argv[0]). */
  self: string;
  env: ScriptEnv;
  /** multi_instance_directories of the default instance, split as the script splits it. */
  instances: string[];
  /** False in a secondary instance: leave the shared files to the default instance. */
  checkSharedFiles: boolean;
}

export const sleep = (seconds: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);

/**
 * Log like "postlog -t $MAIL_LOGTAG/postfix-script -p level text": to the mail log, and to
 * standard error when that is a terminal. A fatal message pauses one second, as postlog does;
 * the caller decides the exit status.
 */
export function scriptLog(level: MsgLevel, text: string): void {
  msgPrintf(level, text);
  if (level >= MSG_FATAL) sleep(1);
}
export const info = (text: string) => scriptLog(MSG_INFO, text);
export const warn = (text: string) => scriptLog(MSG_WARN, text);
export const fatal = (text: string): 1 => {
  scriptLog(MSG_FATAL, text);
  return 1;
};

export interface RunOptions {
  /** 2>/dev/null */
  quiet?: boolean;
  /** Do not wait (the shell's "&"). */
  background?: boolean;
}

/** strsignal() texts, as dash prints them for a foreground command that a signal killed. */
const SIGNAL_TEXT: Partial<Record<NodeJS.Signals, string>> = {
  SIGHUP: 'Hangup', SIGQUIT: 'Quit', SIGILL: 'Illegal instruction', SIGTRAP: 'Trace/breakpoint trap',
  SIGABRT: 'Aborted', SIGBUS: 'Bus error', SIGFPE: 'Floating point exception', SIGKILL: 'Killed',
  SIGUSR1: 'User defined signal 1', SIGSEGV: 'Segmentation fault', SIGUSR2: 'User defined signal 2',
  SIGALRM: 'Alarm clock', SIGTERM: 'Terminated',
};

/** Run a program as the shell would; returns its exit status (128+n after signal n). */
export function run(path: string, args: readonly string[], opts: RunOptions = {}): number {
  const stdio: ['inherit', 'inherit', 'inherit' | 'ignore'] = ['inherit', 'inherit', opts.quiet ? 'ignore' : 'inherit'];
  if (opts.background) {
    const child = spawn(path, args, { argv0: path, stdio, detached: false });
    child.on('error', () => undefined);
    child.unref();
    return 0;
  }
  const result = spawnSync(path, args, { argv0: path, stdio });
  if (result.error !== undefined) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') return 127;
    return 126;
  }
  if (result.signal !== null) {
    // The shell reports a command that a signal killed (except for an interrupt or a pipe).
    const text = SIGNAL_TEXT[result.signal];
    if (text !== undefined) toolError(text);
    return 128 + ((osConstants.signals as Record<string, number>)[result.signal] ?? 0);
  }
  return result.status ?? 1;
}

/** master -t: exit status 0 means that no master is running. */
export function masterIsIdle(ctx: ScriptContext): boolean {
  return run(`${ctx.env.daemon_directory}/master`, ['-t'], { quiet: true }) === 0;
}

/** The words of `sed 1q pid/master.pid` (relative to the queue directory). */
export function masterPidWords(): string[] {
  const file = 'pid/master.pid';
  try {
    return shellWords(readFileSync(file, 'latin1').split('\n')[0]!);
  } catch (err) {
    toolError(`sed: can't read ${file}: ${strerror(err)}`);
    return [];
  }
}

/** The shell's kill builtin: kill [-SIG] pid...; returns its exit status. */
export function killWords(signal: NodeJS.Signals | 0, words: readonly string[]): number {
  if (words.length === 0) return 2;
  let status = 0;
  for (const word of words) {
    const pid = /^-?[0-9]+$/.test(word) ? Number(word) : NaN;
    if (Number.isNaN(pid)) {
      status = 1;
      continue;
    }
    try {
      process.kill(pid, signal === 0 ? 0 : signal);
    } catch {
      status = 1;
    }
  }
  return status;
}


/**
 * The scripts ask postconf for parameter values; we answer in-process, but postconf also
 * reads master.cf and complains on standard error, every time, when it cannot. Say what each
 * of those postconf runs would have said. postconf is the command as the script types it;
 * configDir the directory whose master.cf it reads.
 */
export function postconfComplaints(postconf: string, configDir: string): void {
  const masterCf = `${configDir}/master.cf`;
  try {
    closeSync(openSync(masterCf, 'r'));
  } catch (err) {
    toolError(`${postconf}: warning: open ${masterCf}: ${strerror(err)}`);
  }
}
