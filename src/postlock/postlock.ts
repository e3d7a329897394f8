#!/usr/bin/env node
/*
 * NAME
 *	postlock - lock a mail folder and run a command
 * SYNOPSIS
 *	postlock [-c config_dir] [-l lock_style] [-v] file command...
 * DESCRIPTION
 *	postlock locks a mailbox the way Postfix's local delivery agent does (fcntl, flock
 *	and dotlock as mailbox_delivery_lock says), runs the command, and unlocks. Every
 *	failure is reported as temporary: exit status 75 (EX_TEMPFAIL).
 *
 *	This version parses its options and then stops with a fatal error: mailbox locking
 *	comes with issue 5.
 * SEE ALSO
 *	local(8)
 */
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { EX_TEMPFAIL } from '../global/sys_exits.js';
import { CONF_ENV_PATH, CONF_ENV_VERB } from '../global/mail_conf.js';
import { notBuiltYet } from '../global/not_built.js';

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-c config_dir] [-l lock_style] [-v] folder command...`);
}

export function main(argv: string[]): void {
  process.umask(0o022);
  if (process.env[CONF_ENV_VERB] !== undefined) msg.verbose = 1;
  msgVstreamInit(argv[0]!, 2);
  msg.setCleanup(() => process.exit(EX_TEMPFAIL));
  const opts = new Getopt(argv, '+c:l:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'l':
        break;
      case 'v':
        msg.verbose++;
        break;
      default:
        usage(argv[0]!);
    }
  }
  notBuiltYet('postlock', 'issue 5');
}

if (isMainModule(import.meta.url)) main(programArgv());
