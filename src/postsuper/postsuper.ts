#!/usr/bin/env node
/*
 * NAME
 *	postsuper - Postfix queue maintenance for the super-user
 * SYNOPSIS
 *	postsuper [-psSv] [-c config_dir] [-d queue_id] [-e queue_id] [-f queue_id]
 *		[-h queue_id] [-H queue_id] [-r queue_id] [queue...]
 * DESCRIPTION
 *	postsuper deletes, holds, releases, expires and requeues queue files, removes
 *	temporary files, and repairs the queue directory structure.
 *
 *	This version parses its options and then stops with a fatal error: the operations
 *	come with the queue file issue (issue 4).
 * SEE ALSO
 *	postqueue(1), postcat(1)
 */
import { basename } from 'node:path';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { safeGetenv, unsafe } from '../util/safe.js';
import { CONF_ENV_VERB } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { notBuiltYet } from '../global/not_built.js';

export function main(argv: string[]): void {
  process.umask(0o022);
  if (safeGetenv(CONF_ENV_VERB) !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask(argv[0]), MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  if (unsafe()) msg.fatal('this postfix command must not run as a set-uid process');
  if (process.getuid!() !== 0) msg.fatal('use of this command is reserved for the superuser');
  const opts = new Getopt(argv, '+c:d:e:f:h:H:pr:sSv');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    if (ch === 'v') msg.verbose++;
    if (ch === '?') {
      msg.fatal(`usage: ${argv[0]} `
        + '[-c config_dir] '
        + '[-d queue_id (delete)] '
        + '[-e queue_id (expire)] '
        + '[-f queue_id (expire and/or un-hold)] '
        + '[-h queue_id (hold)] '
        + '[-H queue_id (un-hold)] '
        + '[-p (purge temporary files)] '
        + '[-r queue_id (requeue)] '
        + '[-s (structure fix)] '
        + '[-S (redundant structure fix)]'
        + '[-v (verbose)] '
        + '[queue...]');
    }
  }
  notBuiltYet('postsuper', 'issue 4');
}

if (isMainModule(import.meta.url)) main(programArgv());
