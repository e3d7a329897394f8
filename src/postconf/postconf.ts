#!/usr/bin/env node
/*
 * NAME
 *	postconf - show or change the Postfix configuration
 * SYNOPSIS
 *	postconf [-options] [name...]
 * DESCRIPTION
 *	postconf prints main.cf and master.cf settings, their defaults, the supported lookup
 *	table, lock and SASL types, and edits main.cf and master.cf.
 *
 *	This version parses its options and then stops with a fatal error: the configuration
 *	engine and the postconf modes come with the configuration issue (issue 3).
 * DIAGNOSTICS
 *	Problems are reported to the standard error stream.
 * SEE ALSO
 *	postconf(5), master(5)
 */
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { notBuiltYet } from '../global/not_built.js';

function usage(progname: string): never {
  return msg.fatal(`usage: ${progname}`
    + ' [-a (server SASL types)]'
    + ' [-A (client SASL types)]'
    + ' [-b (bounce templates)]'
    + ' [-c config_dir]'
    + ' [-c param_class]'
    + ' [-d (parameter defaults)]'
    + ' [-e (edit configuration)]'
    + ' [-f (fold lines)]'
    + ' [-F (master.cf fields)]'
    + ' [-h (no names)]'
    + ' [-H (no values)]'
    + ' [-l (lock types)]'
    + ' [-m (map types)]'
    + ' [-M (master.cf)]'
    + ' [-n (non-default parameters)]'
    + ' [-o name=value (override parameter value)]'
    + ' [-p (main.cf, default)]'
    + ' [-P (master.cf parameters)]'
    + ' [-t (bounce templates)]'
    + ' [-T compile-version|run-version|public-key-algorithms]'
    + ' [-v (verbose)]'
    + ' [-x (expand parameter values)]'
    + ' [-X (exclude)]'
    + ' [-# (comment-out)]'
    + ' [name...]');
}

export function main(argv: string[]): void {
  process.umask(0o022);
  msgVstreamInit(argv[0]!, 2);
  const opts = new Getopt(argv, '+aAbc:C:deEfFhHlmMno:pPtT:vxX#');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    if (ch === '?') usage(argv[0]!);
    if (ch === 'v') msg.verbose++;
  }
  notBuiltYet('postconf', 'issue 3');
}

if (isMainModule(import.meta.url)) main(programArgv());
