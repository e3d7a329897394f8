#!/usr/bin/env node
/*
 * NAME
 *	master - Postfix master process
 * SYNOPSIS
 *	master [-Ddistvw] [-c config_dir] [-e exit_time]
 * DESCRIPTION
 *	master is the resident process of the mail system. It reads master.cf, opens the
 *	listen endpoint of every service (UNIX-domain sockets in the public and private
 *	directories, fifos, TCP ports), and starts daemon programs from daemon_directory
 *	when a client knocks, up to the process limit of each service. Daemons report to
 *	master when they are busy and idle, and exit by themselves after max_idle or
 *	max_use; master starts new ones as needed, wakes up services that have a wake-up
 *	time, and holds back ("throttles") a service whose processes keep dying before
 *	serving anyone.
 *
 *	Every daemon gets the command line that master.cf describes, the environment that
 *	import_environment allows (with GENERATION added), the flow-control pipe as
 *	descriptors 3 and 4, its service's status channel as descriptor 5, and the listen
 *	sockets from descriptor 6 on.
 *
 *	Options:
 *	-c config_dir
 *		Read main.cf and master.cf from config_dir; the daemons inherit the setting.
 *	-D	Debug mode: stay in the process group of the caller. XXX The debugger_command
 *		is not run yet.
 *	-d	Do not detach: keep standard input, output and error, and the session.
 *	-e exit_time
 *		Exit after exit_time seconds; the daemons finish on their own.
 *	-i	Init mode (only as process 1): no new session, standard output kept.
 *	-s	Keep standard output, so that "maillog_file = /dev/stdout" works.
 *	-t	Test mode: exit 0 when the master.pid file is missing or not locked (no
 *		master runs), 1 when it is locked.
 *	-v	Verbose logging, passed on to the daemons.
 *	-w	Wait in the foreground until the daemon has started; exit 0 only when it did.
 *
 *	Signals: SIGHUP makes master read main.cf and master.cf again; processes of
 *	services that are gone are stopped, the others finish their work and are replaced
 *	by a new generation. SIGTERM (and SIGINT, SIGQUIT) stop master and, through its
 *	process group, every daemon.
 *
 *	master keeps its process id in $queue_directory/pid/master.pid and in
 *	$data_directory/master.lock, both locked for as long as it runs.
 * SECURITY
 *	Only the super-user may run master. Local endpoints are created as mail_owner.
 * DIAGNOSTICS
 *	Problems go to the mail log (syslog, or maillog_file through postlogd). The exit
 *	status is non-zero on problems, including a failed start of the daemon with -w.
 * ENVIRONMENT
 *	MAIL_CONFIG	Directory with main.cf and master.cf.
 *	MAIL_DEBUG	Same as -D.
 *	MAIL_VERBOSE	Same as -v.
 * CONFIGURATION PARAMETERS
 *	config_directory, daemon_directory, data_directory, queue_directory, mail_owner,
 *	default_process_limit, service_throttle_time, master_service_disable,
 *	inet_interfaces, inet_protocols, import_environment, syslog_name, maillog_file.
 *	master reads main.cf only at start-up and on SIGHUP; inet_interfaces,
 *	inet_protocols, queue_directory and config_directory changes need a restart.
 * SEE ALSO
 *	master(5), postfix(1), postlogd(8), qmgr(8), pickup(8)
 */
import { accessSync, closeSync, constants, openSync, readdirSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { safeGetenv, unsafe } from '../util/safe.js';
import { cleanEnv } from '../util/clean_env.js';
import { MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OP_NOWAIT, MYFLOCK_STYLE_FLOCK, myflock } from '../util/myflock.js';
import { safeOpen } from '../util/safe_open.js';
import { setEugid } from '../util/set_eugid.js';
import { setUgid } from '../util/set_ugid.js';
import { inetProtoInit } from '../util/inet_proto.js';
import { lastErrno } from '../util/sys_libc.js';
import { dup2, getsid, inheritable, setsid } from '../util/sys_process.js';
import { CONF_ENV_DEBUG, CONF_ENV_PATH, CONF_ENV_VERB } from '../global/mail_conf.js';
import { mailParmSplit } from '../global/mail_parm_split.js';
import { mailTask } from '../global/mail_task.js';
import { MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK, maillogClientInit } from '../global/maillog_client.js';
import { setMasterDetach } from './master_ent.js';
import { masterVarsInit, vars } from './master_vars.js';
import { masterConfig, masterRefresh } from './master_conf.js';
import { masterSigsetup, setMasterInitMode } from './master_sig.js';
import { masterFlowInit } from './master_flow.js';
import { masterReapChild } from './master_spawn.js';
import { masterMonitor, masterMonitorChildFd } from './master_monitor.js';
import { masterTimer } from './master_timer.js';

/** Postfix: DEF_PID_DIR, relative to queue_directory. */
const DEF_PID_DIR = 'pid';

/** Postfix: MASTER_INIT_TIMEOUT; how long master -w waits. */
const MASTER_INIT_TIMEOUT = 100;

function usage(me: string): never {
  return msg.fatal(`usage: ${me} [-c config_dir] [-D (debug)] [-d (don't detach from terminal)] [-e exit_time] `
    + '[-t (test)] [-v] [-w (wait for initialization)]');
}

/**
 * Postfix: closefrom(3). Node's own descriptors are close-on-exec; anything else above 2
 * came from whoever started us and must not reach the daemons.
 */
function closeInheritedDescriptors(keep: number | undefined): void {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch {
    return;
  }
  for (const name of names) {
    const fd = Number(name);
    if (fd > 2 && fd !== keep && inheritable(fd)) {
      try {
        closeSync(fd);
      } catch {
        // the descriptor of the directory listing itself, gone by now
      }
    }
  }
}

/**
 * Postfix: open_lock(): open or create a file carefully (safe_open), and lock it
 * exclusively without waiting. The descriptor, or why not.
 */
function openLock(path: string, mode: number): number | string {
  const opened = safeOpen(path, constants.O_RDWR | constants.O_CREAT, mode);
  if (opened.fd === null) return opened.why;
  try {
    myflock(opened.fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT);
  } catch (err) {
    closeSync(opened.fd);
    return `unable to set exclusive lock: ${strerror(err)}`;
  }
  return opened.fd;
}

/** The process id as master writes it into its lock files: "%*lu\n", 32 wide on 64-bit. */
function pidText(): Buffer {
  return Buffer.from(`${String(process.pid).padStart(32)}\n`, 'latin1');
}

function writeLockFile(fd: number, path: string): void {
  try {
    writeSync(fd, pidText(), 0, undefined, 0);
  } catch (err) {
    msg.fatal(`cannot update lock file ${path}: ${strerror(err)}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  // Files master creates (lock files, fifos) are private unless it says otherwise.
  process.umask(0o077);
  let debugMe = false;
  if (safeGetenv(CONF_ENV_VERB) !== undefined) msg.verbose = 1;
  if (safeGetenv(CONF_ENV_DEBUG) !== undefined) debugMe = true;
  vars.argv0 = argv[0]!;
  vars.procname = basename(argv[0]!);
  const monitorFd = masterMonitorChildFd();
  closeInheritedDescriptors(monitorFd);
  maillogClientInit(mailTask(vars.procname), MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);

  if (process.getuid!() !== 0) msg.fatal('the master command is reserved for the superuser');
  if (unsafe()) msg.fatal('the master command must not run as a set-uid process');

  let detach = true;
  let initMode = false;
  let keepStdout = false;
  let testLock = false;
  let waitFlag = false;
  let exitTime: number | undefined;
  const opts = new Getopt(argv, '+c:Dde:istvw');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'd':
        detach = false;
        break;
      case 'e':
        exitTime = parseInt(opts.optarg!, 10) || 0; // C atoi()
        break;
      case 'i':
        if (process.pid !== 1) msg.fatal('-i is allowed only for PID 1 process');
        initMode = true;
        keepStdout = true;
        break;
      case 'D':
        debugMe = true;
        break;
      case 's':
        keepStdout = true;
        break;
      case 't':
        testLock = true;
        break;
      case 'v':
        msg.verbose++;
        break;
      case 'w':
        waitFlag = true;
        break;
      default:
        usage(argv[0]!);
    }
  }
  if (argv.length > opts.optind) usage(argv[0]!);
  if (testLock && waitFlag) msg.fatal('the -t and -w options cannot be used together');
  if (initMode && (debugMe || !detach || waitFlag)) msg.fatal('the -i option cannot be used with -D, -d, or -w');
  setMasterDetach(detach);
  setMasterInitMode(initMode);

  // Without fork(), -w runs a second copy of this program as the daemon (see master_monitor).
  if (waitFlag && monitorFd === undefined) await masterMonitor(argv, MASTER_INIT_TIMEOUT);
  if (exitTime !== undefined) {
    masterTimer(exitTime, () => {
      msg.info('master exit time has arrived');
      process.exit(0);
    });
  }

  if (detach) {
    let devNull: number;
    try {
      devNull = openSync('/dev/null', constants.O_RDWR);
    } catch (err) {
      return msg.fatal(`open /dev/null: ${strerror(err)}`);
    }
    for (let fd = 0; fd < 3; fd++) {
      if (fd === 1 && keepStdout) continue;
      try {
        dup2(devNull, fd);
      } catch (err) {
        msg.fatal(`open /dev/null: ${strerror(err)}`);
      }
    }
    closeSync(devNull);
  }
  if (!initMode && !debugMe && detach && setsid() === -1 && getsid(0) !== process.pid) {
    msg.fatal(`unable to set session and process group ID: ${strerror(lastErrno())}`);
  }

  masterVarsInit();
  inetProtoInit('inet_protocols', vars.inetProtocols);
  cleanEnv(mailParmSplit('import_environment', vars.importEnviron));
  // XXX Postfix also raises the file size limit to the maximum here.
  try {
    process.chdir(vars.queueDir);
  } catch (err) {
    msg.fatal(`chdir ${vars.queueDir}: ${strerror(err)}`);
  }

  // The pid file, relative to the queue directory, locked for as long as master runs.
  const lockPath = `${DEF_PID_DIR}/${vars.procname}.pid`;
  if (testLock) {
    try {
      accessSync(lockPath, constants.F_OK);
    } catch {
      process.exit(0);
    }
  }
  const lockFd = openLock(lockPath, 0o644);
  if (testLock) process.exit(typeof lockFd === 'number' ? 0 : 1);
  if (typeof lockFd === 'string') msg.fatal(`open lock file ${lockPath}: ${lockFd}`);
  writeLockFile(lockFd, lockPath);

  // The same in data_directory, created as mail_owner.
  const dataLockPath = `${vars.dataDir}/${vars.procname}.lock`;
  setEugid(vars.ownerUid, vars.ownerGid);
  const dataLockFd = openLock(dataLockPath, 0o644);
  setUgid(process.getuid!(), process.getgid!());
  if (typeof dataLockFd === 'string') msg.fatal(`open lock file ${dataLockPath}: ${dataLockFd}`);
  writeLockFile(dataLockFd, dataLockPath);

  // XXX Postfix runs debugger_command here when debugging (-D, MAIL_DEBUG).

  masterConfig();
  masterSigsetup(() => {
    msg.info(`reload -- version ${vars.mailVersion}, configuration ${vars.configDir}`);
    masterVarsInit();
    masterRefresh();
    maillogClientInit(mailTask(vars.procname), MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  }, masterReapChild);
  masterFlowInit();
  maillogClientInit(mailTask(vars.procname), MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  msg.info(`daemon started -- version ${vars.mailVersion}, configuration ${vars.configDir}`);

  // Tell the foreground process (master -w) that all went well.
  if (monitorFd !== undefined) {
    try {
      writeSync(monitorFd, Buffer.alloc(1));
    } catch {
      // the foreground process gave up already
    }
    closeSync(monitorFd);
  }

  // Keep the event loop alive even when master.cf has no service; the lock descriptors
  // stay open (and locked) until the process ends. Children that died before the
  // SIGCHLD handler was in place are reaped now.
  setInterval(() => undefined, 1 << 30);
  masterReapChild();
}

if (isMainModule(import.meta.url)) await main(programArgv());
