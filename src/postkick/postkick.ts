#!/usr/bin/env node
/*
 * NAME
 *	postkick - kick a Postfix service
 * SYNOPSIS
 *	postkick [-c config_dir] [-v] class service request
 * DESCRIPTION
 *	postkick sends request (a string of one-letter triggers) to the named service in the
 *	public or private class, the way Postfix programs wake each other up.
 *
 *	This version parses its options and then stops with a fatal error: triggers come with
 *	the internal protocols issue (issue 5).
 * SEE ALSO
 *	qmgr(8), pickup(8)
 */
import { basename } from 'node:path';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { safeGetenv } from '../util/safe.js';
import { CONF_ENV_PATH, CONF_ENV_VERB } from '../global/mail_conf.js';
import { notBuiltYet } from '../global/not_built.js';

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-c config_dir] [-v] class service request`);
}

export function main(argv: string[]): void {
  if (safeGetenv(CONF_ENV_VERB) !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  const opts = new Getopt(argv, '+c:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'v':
        msg.verbose++;
        break;
      default:
        usage(argv[0]);
    }
  }
  notBuiltYet('postkick', 'issue 5');
}

if (isMainModule(import.meta.url)) main(programArgv());
