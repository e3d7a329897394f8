#!/usr/bin/env node
/*
 * NAME
 *	postdrop - Postfix mail posting utility
 * SYNOPSIS
 *	postdrop [-rv] [-c config_dir]
 * DESCRIPTION
 *	postdrop copies a message in queue file format from standard input into the maildrop
 *	queue and notifies the pickup service. It runs set-gid postdrop, so that maildrop need
 *	not be world-writable.
 *
 *	This version parses its options and then stops with a fatal error: mail posting comes
 *	with the issue that builds sendmail and pickup.
 * SEE ALSO
 *	sendmail(1), pickup(8)
 */
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { CONF_ENV_PATH } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { notBuiltYet } from '../global/not_built.js';

export function main(argv: string[]): void {
  process.umask(0o022);
  argv[0] = 'postdrop'; // set-gid: never trust the name we were invoked by
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask('postdrop'), MAILLOG_CLIENT_FLAG_NONE);
  const opts = new Getopt(argv, '+c:rv');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'r': // accepted for compatibility, as in Postfix
        break;
      case 'v':
        if (process.geteuid!() === 0) msg.verbose++;
        break;
      default:
        msg.fatal(`usage: ${argv[0]} [-c config_dir] [-v]`);
    }
  }
  notBuiltYet('postdrop', 'the sendmail and pickup issue');
}

if (isMainModule(import.meta.url)) main(programArgv());
