#!/usr/bin/env node
/*
 * NAME
 *	postfix - control the mail system
 * SYNOPSIS
 *	postfix [-Dv] [-c config_dir] command
 * DESCRIPTION
 *	The postfix command starts, stops and reloads the mail system, checks and repairs its
 *	files and permissions, and runs the upgrade procedures. Only the super-user may run it.
 *
 *	This version parses its options and then stops with a fatal error: the commands come
 *	with the master issue (issue 5).
 * DIAGNOSTICS
 *	Problems are reported to the standard error stream when it is a terminal, and to the
 *	mail log.
 * SEE ALSO
 *	master(8), postconf(1), postsuper(1)
 */
import { basename, isAbsolute } from 'node:path';
import { isatty } from 'node:tty';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { unsafe } from '../util/safe.js';
import { CONF_ENV_DEBUG, CONF_ENV_PATH, CONF_ENV_VERB } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';
import { notBuiltYet } from '../global/not_built.js';

export function main(argv: string[]): void {
  process.umask(0o022);
  argv[0] = basename(argv[0]!) || argv[0]!;
  if (isatty(2)) msgVstreamInit(argv[0], 2);
  maillogClientInit(argv[0], MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  if (process.getuid!() !== 0) {
    msg.error('to submit mail, use the Postfix sendmail command');
    msg.fatal('the postfix command is reserved for the superuser');
  }
  if (unsafe()) msg.fatal('the postfix command must not run as a set-uid process');
  const opts = new Getopt(argv, '+c:Dv');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        if (!isAbsolute(opts.optarg!)) msg.fatal('-c requires absolute pathname');
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'D':
        process.env[CONF_ENV_DEBUG] = '';
        break;
      case 'v':
        msg.verbose++;
        process.env[CONF_ENV_VERB] = '';
        break;
      default:
        msg.fatal(`usage: ${argv[0]} [-c config_dir] [-Dv] command`);
    }
  }
  notBuiltYet('the postfix command', 'issue 5');
}

if (isMainModule(import.meta.url)) main(programArgv());
