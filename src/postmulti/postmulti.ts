#!/usr/bin/env node
/*
 * NAME
 *	postmulti - Postfix multi-instance manager
 * SYNOPSIS
 *	postmulti -l [-aRv] [-g group] [-i name]
 *	postmulti -p [-av] [-g group] [-i name] command...
 *	postmulti -x [-aRv] [-g group] [-i name] command...
 *	postmulti -e action [-v] [-a] [-i name] [-g group] [-I name] [-G group] [param=value ...]
 * DESCRIPTION
 *	postmulti lists, controls and creates the Postfix instances that the default
 *	instance's multi_instance_directories names. It only runs with the default
 *	configuration directory.
 *
 *	This version parses its options and then stops with a fatal error: instance management
 *	comes with issue 5.
 * SEE ALSO
 *	postfix(1)
 */
import { basename } from 'node:path';
import { isatty } from 'node:tty';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { CONF_ENV_PATH, CONF_ENV_VERB, DEF_CONFIG_DIR, mailConfRead } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';
import { notBuiltYet } from '../global/not_built.js';

function usage(progname: string): never {
  return msg.fatal('Usage:'
    + `${progname} -l [-v] [-a] [-g group] [-i instance] | `
    + `${progname} -p [-v] [-a] [-g group] [-i instance] command... | `
    + `${progname} -x [-v] [-a] [-i name] [-g group] command... | `
    + `${progname} -e action [-v] [-a] [-i name] [-g group] [-I name] `
    + '[-G group] [param=value ...]');
}

export function main(argv: string[]): void {
  process.umask(0o022);
  argv[0] = basename(argv[0]!) || argv[0]!;
  if (isatty(2)) msgVstreamInit(argv[0], 2);
  maillogClientInit(argv[0], MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  mailConfRead();
  const configDir = process.env[CONF_ENV_PATH];
  if (configDir !== undefined && configDir !== DEF_CONFIG_DIR) {
    msg.fatal(`Non-default configuration directory: ${CONF_ENV_PATH}=${configDir}`);
  }
  const opts = new Getopt(argv, '+ae:g:i:G:I:lpRvx');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'v':
        msg.verbose++;
        process.env[CONF_ENV_VERB] = '';
        break;
      case '?':
        usage(argv[0]);
    }
  }
  notBuiltYet('postmulti', 'issue 5');
}

if (isMainModule(import.meta.url)) main(programArgv());
