#!/usr/bin/env node
/*
 * NAME
 *	sendmail - Postfix to Sendmail compatibility interface
 * SYNOPSIS
 *	sendmail [option ...] [recipient ...]
 *	mailq
 *	newaliases
 * DESCRIPTION
 *	sendmail posts mail through postdrop, and, depending on its options or on the name it
 *	is invoked by, lists the queue (mailq, -bp), rebuilds the alias databases
 *	(newaliases, -bi, -I) or flushes the queue (-q). Every failure is reported as
 *	temporary: exit status 75 (EX_TEMPFAIL).
 *
 *	This version checks its options the way Postfix does, reads main.cf, and then stops
 *	with a fatal error: the modes come with the issue that builds sendmail and pickup.
 * SEE ALSO
 *	postdrop(1), postqueue(1), postalias(1)
 */
import { basename, dirname } from 'node:path';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { safeGetenv } from '../util/safe.js';
import { strerror } from '../util/strerror.js';
import { EX_TEMPFAIL, EX_UNAVAILABLE, EX_USAGE } from '../global/sys_exits.js';
import { CONF_ENV_PATH, CONF_ENV_VERB, mailConfRead, mailConfStr } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { notBuiltYet } from '../global/not_built.js';

const GETOPT_LIST = '+A:B:C:F:GIL:N:O:R:UV:X:b:ce:f:h:imno:p:r:q:tvx';

export function main(argv: string[]): void {
  process.umask(0o022);
  if (safeGetenv(CONF_ENV_VERB) !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask('sendmail'), MAILLOG_CLIENT_FLAG_NONE);
  msg.setCleanup(() => process.exit(EX_TEMPFAIL));

  // First pass: only -C matters, because it decides which main.cf to read. "-q" alone
  // is not getopt-compatible and is skipped in both passes.
  const first = new Getopt(argv, GETOPT_LIST);
  while (argv[first.optind] !== undefined) {
    if (argv[first.optind] === '-q') {
      first.optind++;
      continue;
    }
    const c = first.next();
    if (c === GETOPT_END) break;
    if (c === 'C') {
      const arg = first.optarg!;
      process.env[CONF_ENV_PATH] = basename(arg) === 'main.cf' ? dirname(arg) : arg;
    }
  }
  mailConfRead();
  const queueDir = mailConfStr('queue_directory');
  try {
    process.chdir(queueDir);
  } catch (err) {
    msg.fatalStatus(EX_UNAVAILABLE, `chdir ${queueDir}: ${strerror(err)}`);
  }

  // Second pass: the options proper.
  const opts = new Getopt(argv, GETOPT_LIST);
  while (argv[opts.optind] !== undefined) {
    if (argv[opts.optind] === '-q') {
      opts.optind++;
      continue;
    }
    const c = opts.next();
    if (c === GETOPT_END) break;
    switch (c) {
      case 'n':
        msg.fatalStatus(EX_USAGE, `-${c} option not supported`);
      case 'v':
        msg.verbose++;
        break;
      case '?':
        msg.fatalStatus(EX_USAGE, `usage: ${argv[0]} [options]`);
    }
  }
  notBuiltYet('sendmail', 'the sendmail and pickup issue');
}

if (isMainModule(import.meta.url)) main(programArgv());
