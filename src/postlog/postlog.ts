#!/usr/bin/env node
/*
 * NAME
 *	postlog - Postfix-compatible logging utility
 * SYNOPSIS
 *	postlog [-iv] [-c config_dir] [-p priority] [-t tag] [text...]
 * DESCRIPTION
 *	postlog logs the text on the command line, or each line of standard input, with
 *	Postfix's logging (syslog, or maillog_file through postlogd). It runs set-gid
 *	postdrop, so it censors the tag and its own name.
 *
 *	This version parses its options and then stops with a fatal error: logging comes with
 *	issue 5.
 * SEE ALSO
 *	postlogd(8), syslogd(8)
 */
import { isatty } from 'node:tty';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { CONF_ENV_PATH } from '../global/mail_conf.js';
import { mailTask } from '../global/mail_task.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';
import { notBuiltYet } from '../global/not_built.js';

const POSTLOG_CMD = 'postlog';

export function main(argv: string[]): void {
  process.umask(0o022);
  argv[0] = POSTLOG_CMD; // set-gid: the name we were invoked by is the user's
  const tag = mailTask(argv[0]);
  if (isatty(2)) msgVstreamInit(tag, 2);
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  const opts = new Getopt(argv, '+c:ip:t:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'i': case 'p': case 't':
        break;
      case 'v':
        msg.verbose++;
        break;
      default:
        msg.fatal(`usage: ${argv[0]} [-c config_dir] [-i] [-p priority] [-t tag] [-v] [text]`);
    }
  }
  notBuiltYet('postlog', 'issue 5');
}

if (isMainModule(import.meta.url)) main(programArgv());
