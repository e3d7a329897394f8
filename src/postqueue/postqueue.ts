#!/usr/bin/env node
/*
 * NAME
 *	postqueue - Postfix queue control for users
 * SYNOPSIS
 *	postqueue [-v] [-c config_dir] -f | -i queue_id | -j | -p | -s site
 * DESCRIPTION
 *	postqueue lists the mail queue (-p, -j) through the showq service and asks the queue
 *	manager or the flush service to deliver deferred mail (-f, -i, -s). It runs set-gid
 *	postdrop. Every failure exits with status 69 (EX_UNAVAILABLE), as in Postfix.
 *
 *	This version parses its options and then stops with a fatal error: the queue modes
 *	come with the issues that build showq and flush.
 * SEE ALSO
 *	sendmail(1), showq(8), flush(8)
 */
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { EX_UNAVAILABLE, EX_USAGE } from '../global/sys_exits.js';
import { CONF_ENV_PATH } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { notBuiltYet } from '../global/not_built.js';

const PQ_MODE_DEFAULT = 0;

function usage(): never {
  return msg.fatalStatus(EX_USAGE,
    'usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site');
}

export function main(argv: string[]): void {
  process.umask(0o022);
  argv[0] = 'postqueue'; // set-gid: never trust the name we were invoked by
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask('postqueue'), MAILLOG_CLIENT_FLAG_NONE);
  msg.setCleanup(() => process.exit(EX_UNAVAILABLE));
  let mode = PQ_MODE_DEFAULT;
  const opts = new Getopt(argv, '+c:fi:jps:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'f': case 'i': case 'j': case 'p': case 's':
        if (mode !== PQ_MODE_DEFAULT) usage();
        mode = ch.charCodeAt(0);
        break;
      case 'v':
        if (process.geteuid!() === 0) msg.verbose++;
        break;
      default:
        usage();
    }
  }
  notBuiltYet('postqueue', 'the showq and flush issues');
}

if (isMainModule(import.meta.url)) main(programArgv());
