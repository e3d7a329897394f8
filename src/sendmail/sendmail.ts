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
 *	This version checks its options the way Postfix does and reads main.cf. It rebuilds
 *	the alias databases (newaliases, -bi, -I, with -oA for another alias file) by running
 *	postalias(1) on them from command_directory; the other modes stop with a fatal error:
 *	they come with the issue that builds sendmail and pickup.
 * SEE ALSO
 *	postdrop(1), postqueue(1), postalias(1)
 */
import { spawnSync } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { safeGetenv } from '../util/safe.js';
import { strerror } from '../util/strerror.js';
import { CHARS_COMMA_SP, splitAny } from '../util/stringops.js';
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

  // Second pass: the options proper. The mode starts out as the name we were run by.
  let newaliases = argv[0] === 'newaliases';
  let aliasMapFromArgs: string | undefined;
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
      case 'I':
        newaliases = true;
        break;
      case 'b':
        if (opts.optarg![0] === 'i') newaliases = true;
        break;
      case 'o':
        if (opts.optarg![0] === 'A') {
          if (opts.optarg!.length === 1) msg.fatalStatus(EX_USAGE, '-oA requires pathname');
          aliasMapFromArgs = opts.optarg!.slice(1);
        }
        break;
      case '?':
        msg.fatalStatus(EX_USAGE, `usage: ${argv[0]} [options]`);
    }
  }
  if (newaliases) runNewaliases(argv.slice(opts.optind), aliasMapFromArgs);
  notBuiltYet('sendmail', 'the sendmail and pickup issue');
}

/**
 * Postfix: the SM_MODE_NEWALIAS case: "postalias [-v...] -- maps" from command_directory,
 * in place of this process (Node cannot exec, so we wait and pass its status on).
 */
function runNewaliases(recipients: string[], aliasMapFromArgs: string | undefined): never {
  if (recipients.length > 0) msg.fatalStatus(EX_USAGE, 'alias initialization mode requires no recipient');
  const aliasDatabase = mailConfStr('alias_database');
  if (aliasMapFromArgs === undefined && aliasDatabase === '') process.exit(0);
  const args = [...Array<string>(msg.verbose).fill('-v'), '--',
    ...(aliasMapFromArgs !== undefined ? [aliasMapFromArgs] : splitAny(aliasDatabase, CHARS_COMMA_SP))];
  const path = `${mailConfStr('command_directory')}/postalias`;
  const child = spawnSync(path, args, { argv0: 'postalias', stdio: 'inherit' });
  if (child.error !== undefined) msg.fatal(`execv ${path}: ${strerror(child.error)}`);
  if (child.signal !== null) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}

if (isMainModule(import.meta.url)) main(programArgv());
