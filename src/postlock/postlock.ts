#!/usr/bin/env node
/*
 * NAME
 *	postlock - lock a mail folder and run a command
 * SYNOPSIS
 *	postlock [-c config_dir] [-l lock_style] [-v] file command...
 * DESCRIPTION
 *	postlock takes the exclusive lock on a mailbox file that the Postfix local(8)
 *	delivery agent takes before it appends a message, runs the command (directly, not
 *	through a shell) while it holds that lock, and lets go when the command is done.
 *	The file is created, mode 0600, when it does not exist.
 *
 *	Options:
 *	-c config_dir
 *		Read main.cf from config_dir instead of the default configuration directory.
 *	-l lock_style
 *		Lock with these methods (fcntl, flock, dotlock) instead of those that
 *		mailbox_delivery_lock names.
 *	-v
 *		Verbose logging, for debugging; more -v options give more detail.
 *
 *	Arguments:
 *	file
 *		The mailbox; whoever runs postlock should be able to read and write it.
 *	command...
 *		The command and its arguments, run while the file is locked.
 * DIAGNOSTICS
 *	Problems are reported on standard error. When postlock cannot do what it was asked
 *	(the file is locked by someone else for longer than it is willing to wait, the
 *	file cannot be opened, the command cannot be started), the exit status is 75
 *	(EX_TEMPFAIL); otherwise it is the exit status of the command (1 when the command
 *	was killed by a signal, or could not be executed).
 * BUGS
 *	On network file systems a lock does not guarantee exclusive access; do not let
 *	processes on different hosts use the same mailbox.
 * ENVIRONMENT
 *	MAIL_CONFIG
 *		Directory with the Postfix configuration files.
 *	MAIL_VERBOSE
 *		Verbose logging, as with -v.
 * CONFIGURATION PARAMETERS
 *	deliver_lock_attempts, deliver_lock_delay, stale_lock_time, mailbox_delivery_lock,
 *	fork_attempts, fork_delay, config_directory, import_environment
 * SEE ALSO
 *	postconf(5), local(8)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants } from 'node:fs';
import { updateEnv } from '../util/clean_env.js';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { isErrno, strerror } from '../util/strerror.js';
import { CONF_ENV_PATH, CONF_ENV_VERB, loadMainCf, mailConfRead } from '../global/mail_conf.js';
import { mailParmSplit } from '../global/mail_parm_split.js';
import { mboxLockMask } from '../global/mbox_conf.js';
import { isMboxError, mboxOpen, mboxRelease } from '../global/mbox_open.js';
import { EX_TEMPFAIL } from '../global/sys_exits.js';

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-c config_dir] [-l lock_style] [-v] folder command...`);
}

/*
 * Node passes arguments to a child as UTF-8. A byte string whose bytes are UTF-8 goes
 * through unchanged that way. XXX Other bytes do not: they arrive re-encoded.
 */
function asSpawnArgument(arg: string): string {
  const bytes = Buffer.from(arg, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : arg;
}

const sleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

export async function main(argv: string[]): Promise<never> {
  process.umask(0o022);
  // Not set-uid: the environment is the caller's, and trusted.
  if (process.env[CONF_ENV_VERB] !== undefined) msg.verbose = 1;
  const myname = argv[0]!;
  msgVstreamInit(myname, 2);
  // Every failure of ours is worth another try later.
  msg.setCleanup(() => process.exit(EX_TEMPFAIL));

  let lockStyle: string | undefined;
  const opts = new Getopt(argv, '+c:l:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'l':
        lockStyle = opts.optarg!;
        break;
      case 'v':
        msg.verbose++;
        break;
      default:
        usage(myname);
    }
  }
  const [folder, ...command] = opts.rest();
  if (folder === undefined || command.length === 0) usage(myname);

  mailConfRead();
  const cfg = loadMainCf(['import_environment', 'mailbox_delivery_lock', 'deliver_lock_attempts', 'deliver_lock_delay',
    'stale_lock_time', 'fork_attempts', 'fork_delay']);
  updateEnv(mailParmSplit('import_environment', cfg.import_environment));
  const lockMask = mboxLockMask(lockStyle ?? cfg.mailbox_delivery_lock);

  const mbox = await mboxOpen(folder, constants.O_APPEND | constants.O_WRONLY | constants.O_CREAT, 0o600, -1, -1,
    lockMask, '5.2.0', cfg);
  if (isMboxError(mbox)) msg.fatal(`open file ${folder}: ${mbox.reason}`);

  // The command runs while we hold the lock; the lock goes when we exit.
  for (let attempt = 1; ; attempt++) {
    const child = spawnSync(asSpawnArgument(command[0]!), command.slice(1).map(asSpawnArgument), { stdio: 'inherit' });
    if (child.error === undefined) {
      closeSync(mbox.fd);
      mboxRelease(mbox);
      process.exit(child.status ?? 1);
    }
    if (!isErrno(child.error, 'EAGAIN', 'ENOMEM')) {
      // Postfix's child dies with this message (exit status 1) and its parent unlocks.
      msg.setCleanup(() => {
        closeSync(mbox.fd);
        mboxRelease(mbox);
      });
      msg.fatal(`execvp ${command[0]}: ${strerror(child.error)}`);
    }
    msg.warn(`fork ${command[0]}: ${strerror(child.error)}`);
    if (attempt >= cfg.fork_attempts) {
      mboxRelease(mbox);
      process.exit(EX_TEMPFAIL);
    }
    await sleep(cfg.fork_delay);
  }
}

if (isMainModule(import.meta.url)) await main(programArgv());
