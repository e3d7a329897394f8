#!/usr/bin/env node
/*
 * NAME
 *	postcat - show Postfix queue file contents
 * SYNOPSIS
 *	postcat [-bdehoqv] [-c config_dir] [-s offset] [files...]
 * DESCRIPTION
 *	postcat prints the records of queue files, by name or (with -q) by queue ID.
 *
 *	This version parses its options and then stops with a fatal error: the queue file
 *	reader comes with the queue file issue (issue 4).
 * SEE ALSO
 *	postsuper(1), postqueue(1)
 */
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { notBuiltYet } from '../global/not_built.js';

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-b (body text)] [-c config_dir] [-d (decimal record type)] `
    + '[-e (envelope records)] [-h (header text)] [-q (access queue)] [-v] [file(s)...]');
}

export function main(argv: string[]): void {
  msgVstreamInit(argv[0]!, 2);
  const opts = new Getopt(argv, '+bc:dehoqrs:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    if (ch === 'v') msg.verbose++;
    if (ch === '?') usage(argv[0]!);
  }
  notBuiltYet('postcat', 'issue 4');
}

if (isMainModule(import.meta.url)) main(programArgv());
