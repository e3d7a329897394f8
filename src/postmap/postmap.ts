#!/usr/bin/env node
/*
 * NAME
 *	postmap - Postfix lookup table management
 * SYNOPSIS
 *	postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [file_type:]file_name ...
 * DESCRIPTION
 *	postmap builds indexed lookup tables from text files, and queries, lists and edits
 *	lookup tables of every type.
 *
 *	This version parses its options and then stops with a fatal error: the tables come
 *	with the lookup table issue (issue 6).
 * SEE ALSO
 *	postalias(1), postconf(1)
 */
import { basename } from 'node:path';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { CONF_ENV_VERB } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { notBuiltYet } from '../global/not_built.js';

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...`);
}

export function main(argv: string[]): void {
  process.umask(0o022);
  if (process.env[CONF_ENV_VERB] !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask(argv[0]), MAILLOG_CLIENT_FLAG_NONE);
  const opts = new Getopt(argv, '+bc:d:fFhimnNopq:rsuUvw');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    if (ch === 'v') msg.verbose++;
    if (ch === '?') usage(argv[0]);
  }
  notBuiltYet('postmap', 'issue 6');
}

if (isMainModule(import.meta.url)) main(programArgv());
