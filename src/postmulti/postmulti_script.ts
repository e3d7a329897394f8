#!/usr/bin/env node
/*
 * postmulti-script - create, import, deport and destroy instances for postmulti(1); installed as
 * $daemon_directory/postmulti-script. Counterpart: postfix/conf/postmulti-script.
 * XXX not written yet: stops with a fatal error.
 */
import { isMainModule, programArgv } from '../util/main_module.js';
import { notBuiltYet } from '../global/not_built.js';

export function main(_argv: string[]): void {
  notBuiltYet('postmulti-script', 'issue 5');
}

if (isMainModule(import.meta.url)) main(programArgv());
