#!/usr/bin/env node
/*
 * postfix-script - the commands of postfix(1), installed as $daemon_directory/postfix-script.
 * Counterpart: postfix/conf/postfix-script (a shell script there), run by postfix(1) with the
 * installation parameters in the environment and the queue directory as current directory.
 * It runs the same programs (master -t/-w/-s/-i, post-install, postsuper, postqueue) and logs
 * the same lines; what the script does with postconf, postlog and find we do in-process.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants as fsConstants, existsSync, openSync, rmSync, utimesSync } from 'node:fs';
import { isatty } from 'node:tty';
import { msgVstreamInit } from '../util/msg.js';
import { writeAll } from '../util/vstream.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { execvp } from '../util/sys_exec.js';
import { strerror } from '../util/strerror.js';
import { DEF_CONFIG_DIR, mailConfRead, mailConfStr } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';
import { isDirectory, isRegularFile, shellWords, toolError } from './postfix_find.js';
import { checkFatal, checkWarn } from './postfix_check.js';
import { logrotate } from './postfix_logrotate.js';
import { fatal, info, killWords, masterIsIdle, masterPidWords, postconfComplaints, run, sleep, warn, type ScriptContext, type ScriptEnv } from './postfix_run.js';

/*
 * The script runs some of its commands as "$daemon_directory/postfix-script command", and each
 * such run repeats the prologue; we run them in-process, with the prologue's postconf runs
 * accounted for (see postconfComplaints).
 */
function nested(ctx: ScriptContext, command: (ctx: ScriptContext) => number): number {
  prologueQueries(ctx.env.config_directory, ctx.env.command_directory, true);
  return command(ctx);
}

/**
 * The postconf runs of the prologue: for the default directory, and for its instances (which
 * we answer in-process for the default instance, and in a nested run, and otherwise run).
 */
function prologueQueries(configDir: string, commandDir: string, nested: boolean): void {
  postconfComplaints(`${commandDir}/postconf`, configDir); // postconf -dh config_directory
  if ((nested || configDir === DEF_CONFIG_DIR) && isRegularFile(`${DEF_CONFIG_DIR}/main.cf`)) {
    postconfComplaints(`${commandDir}/postconf`, DEF_CONFIG_DIR); // ... -h multi_instance_directories
  }
}

const UNKNOWN = 'Usage: postfix start (or stop, reload, abort, flush, check, status, set-permissions, upgrade-configuration, logrotate)';

function start(ctx: ScriptContext, command: string): number {
  const { daemon_directory: daemonDir, queue_directory: queueDir } = ctx.env;
  if (!masterIsIdle(ctx)) return fatal('the Postfix mail system is already running');
  const quickStart = `${queueDir}/quick-start`;
  if (isRegularFile(quickStart)) {
    rmSync(quickStart, { force: true });
  } else {
    if (nested(ctx, checkFatal) !== 0) return fatal('Postfix integrity check failed!');
    nested(ctx, checkWarn);
  }
  info('starting the Postfix mail system');
  const master = `${daemonDir}/master`;
  if (command === 'start') {
    // master -w waits until the daemon is initialized, so that we can report failure.
    if (run(master, ['-w']) !== 0) return fatal('mail system startup failed');
    return 0;
  }
  // Foreground: incompatible with multiple instances. As process 1 (a container), master
  // takes our place; otherwise it runs as a child, so that "postfix stop" kills only it.
  if (ctx.instances.length > 0) return fatal('start-fg does not support multi_instance_directories');
  if (process.pid === 1) {
    execvp(master, [master, '-i']);
    return fatal('cannot start-fg the master daemon');
  }
  return run(master, ['-s']);
}

function stop(ctx: ScriptContext): number {
  if (masterIsIdle(ctx)) return fatal('the Postfix mail system is not running');
  info('stopping the Postfix mail system');
  settleLog();
  killWords('SIGTERM', masterPidWords());
  for (let i = 5; i > 0; i--) {
    if (masterIsIdle(ctx)) return 0;
    info('waiting for the Postfix mail system to terminate');
    sleep(1);
  }
  warn('stopping the Postfix mail system with force');
  const words = masterPidWords();
  if (words.length === 0) return 1;
  return killWords('SIGKILL', [`-${words[0]}`]);
}

function signalMaster(ctx: ScriptContext, message: string, signal: NodeJS.Signals): number {
  if (masterIsIdle(ctx)) return fatal('the Postfix mail system is not running');
  info(message);
  if (signal === 'SIGTERM') settleLog();
  return killWords(signal, masterPidWords());
}

/*
 * With SIGTERM, master takes postlogd down with it, and a record that postlogd has not read
 * yet is lost. The script logs through a postlog process and then runs sed and kill, which
 * gives postlogd that moment; so do we.
 */
function settleLog(): void {
  sleep(0.1);
}

function reload(ctx: ScriptContext): number {
  const postsuper = `${ctx.env.command_directory}/postsuper`;
  if (masterIsIdle(ctx)) return fatal('the Postfix mail system is not running');
  info('refreshing the Postfix mail system');
  if (run(postsuper, ['active']) !== 0) return 1;
  killWords('SIGHUP', masterPidWords());
  return run(postsuper, [], { background: true });
}

function status(ctx: ScriptContext): number {
  if (masterIsIdle(ctx)) {
    info('the Postfix mail system is not running');
    return 1;
  }
  info(['the Postfix mail system is running: PID:', ...masterPidWords()].join(' '));
  return 0;
}

function touch(path: string): number {
  try {
    closeSync(openSync(path, 'a'));
    const now = new Date();
    utimesSync(path, now, now);
    return 0;
  } catch (err) {
    toolError(`touch: cannot touch '${path}': ${strerror(err)}`);
    return 1;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return isRegularFile(path);
  } catch {
    return false;
  }
}

/** The command dispatch of the script; returns the exit status. */
export function runCommand(ctx: ScriptContext, args: readonly string[]): number {
  const { command_directory: commandDir, daemon_directory: daemonDir, queue_directory: queueDir } = ctx.env;
  const command = args[0] ?? '';
  switch (command) {
    case 'start_msg':
      writeAll(1, Buffer.from('Start postfix\n'));
      return 0;
    case 'stop_msg':
      writeAll(1, Buffer.from('Stop postfix\n'));
      return 0;
    case 'start':
    case 'start-fg':
      return start(ctx, command);
    case 'drain':
      return signalMaster(ctx, 'stopping the Postfix mail system', 'SIGKILL');
    case 'quick-stop':
      nested(ctx, (c) => runCommand(c, ['stop']));
      return touch(`${queueDir}/quick-start`);
    case 'stop':
      return stop(ctx);
    case 'abort':
      return signalMaster(ctx, 'aborting the Postfix mail system', 'SIGTERM');
    case 'reload':
      return reload(ctx);
    case 'flush':
      if (!isDirectory(queueDir)) {
        toolError(`${ctx.self}: 231: cd: can't cd to ${queueDir}`);
        return fatal(`no Postfix queue directory ${queueDir}!`);
      }
      process.chdir(queueDir);
      return run(`${commandDir}/postqueue`, ['-f']);
    case 'check':
      if (nested(ctx, checkFatal) !== 0) return 1;
      nested(ctx, checkWarn);
      return 0;
    case 'status':
      return status(ctx);
    case 'check-fatal':
      return checkFatal(ctx);
    case 'check-warn':
      return checkWarn(ctx);
    case 'set-permissions':
    case 'upgrade-configuration':
      return run(`${daemonDir}/post-install`, ['create-missing', ...args]);
    case 'post-install':
      return run(`${daemonDir}/post-install`, args.slice(1));
    case 'tls':
      return run(`${daemonDir}/postfix-tls-script`, args.slice(1));
    case 'logrotate':
      if (args.length !== 1) return fatal(`usage postfix ${command} (no arguments)`);
      return logrotate(ctx);
    default:
      if (command.startsWith('/')) {
        // The shell's complaints, with the line of the reference script that runs the command.
        if (!existsSync(command)) {
          toolError(`${ctx.self}: 413: ${command}: not found`);
          return 127;
        }
        if (!isExecutable(command)) {
          toolError(`${ctx.self}: 413: ${command}: Permission denied`);
          return 126;
        }
        return run(command, args.slice(1));
      }
      return fatal(`unknown command: '${command}'. ${UNKNOWN}`);
  }
}

/** The multi_instance_directories of the default instance, as `... | sed 's/,/ /'` leaves them. */
function defaultInstances(configDir: string, commandDir: string): string[] | undefined {
  if (!isRegularFile(`${DEF_CONFIG_DIR}/main.cf`)) return [];
  let value: string;
  if (configDir === DEF_CONFIG_DIR) {
    value = mailConfStr('multi_instance_directories');
  } else {
    const postconf = `${commandDir}/postconf`;
    const result = spawnSync(postconf, ['-c', DEF_CONFIG_DIR, '-h', 'multi_instance_directories'],
      { argv0: postconf, stdio: ['inherit', 'pipe', 'inherit'], encoding: 'latin1' });
    if (result.error !== undefined || result.status !== 0) return undefined;
    value = result.stdout;
  }
  return shellWords(value.replace(',', ' '));
}

export function main(argv: string[]): void {
  process.on('SIGHUP', () => undefined); // survive the exit of a parent process
  const env = process.env;
  if (!env.daemon_directory) {
    writeAll(2, Buffer.from('This script must be run by the postfix command.\nDo not run directly.\n'));
    process.exit(1);
  }
  const tag = `${env.MAIL_LOGTAG ?? ''}/postfix-script`;
  if (isatty(2)) msgVstreamInit(tag, 2);
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  mailConfRead();
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  process.umask(0o022);

  const scriptEnv: ScriptEnv = {
    command_directory: env.command_directory ?? '',
    daemon_directory: env.daemon_directory,
    config_directory: env.config_directory ?? '',
    queue_directory: env.queue_directory ?? '',
    data_directory: env.data_directory ?? '',
    meta_directory: env.meta_directory ?? '',
    shlib_directory: env.shlib_directory ?? '',
    mail_owner: env.mail_owner ?? '',
    setgid_group: env.setgid_group ?? '',
  };
  // Cannot do much without these in place. A failed "cd" is also reported the way dash
  // reports it for the reference script (with that script's line number).
  const cd = (dir: string, line: number, complaint: string) => {
    if (isDirectory(dir)) return;
    toolError(`${argv[0]}: ${line}: cd: can't cd to ${dir}`);
    process.exit(fatal(complaint));
  };
  const { command_directory: commandDir, daemon_directory: daemonDir } = scriptEnv;
  cd(commandDir, 56, `no Postfix command directory ${commandDir}!`);
  cd(daemonDir, 60, `no Postfix daemon directory ${daemonDir}!`);
  if (!isRegularFile(`${daemonDir}/master`)) process.exit(fatal(`no Postfix master program ${daemonDir}/master!`));
  cd(scriptEnv.config_directory, 68, `no Postfix configuration directory ${scriptEnv.config_directory}!`);
  if (scriptEnv.shlib_directory !== 'no') {
    cd(scriptEnv.shlib_directory, 74, `no Postfix shared-library directory ${scriptEnv.shlib_directory}!`);
  }
  cd(scriptEnv.meta_directory, 79, `no Postfix meta directory ${scriptEnv.meta_directory}!`);
  cd(scriptEnv.queue_directory, 83, `no Postfix queue directory ${scriptEnv.queue_directory}!`);
  process.chdir(scriptEnv.queue_directory);

  prologueQueries(scriptEnv.config_directory, commandDir, false);
  const instances = defaultInstances(scriptEnv.config_directory, scriptEnv.command_directory);
  if (instances === undefined) process.exit(fatal(`cannot execute ${scriptEnv.command_directory}/postconf!`));
  // A secondary instance leaves the shared files alone.
  let checkSharedFiles = true;
  for (const name of instances) {
    if (name === DEF_CONFIG_DIR) continue;
    if (name === scriptEnv.config_directory) {
      checkSharedFiles = false;
      break;
    }
  }
  const ctx: ScriptContext = { self: argv[0]!, env: scriptEnv, instances, checkSharedFiles };
  process.exitCode = runCommand(ctx, argv.slice(1));
}

if (isMainModule(import.meta.url)) main(programArgv());
