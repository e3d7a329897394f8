#!/usr/bin/env node
/*
 * postfix-tls-script - "postfix tls": TLS keys, certificates and settings; installed as
 * $daemon_directory/postfix-tls-script. Counterpart: postfix/conf/postfix-tls-script.
 * XXX not written yet: stops with a fatal error.
 */
import { isMainModule, programArgv } from '../util/main_module.js';
import { notBuiltYet } from '../global/not_built.js';

export function main(_argv: string[]): void {
  notBuiltYet('postfix tls', 'issue 5');
}

if (isMainModule(import.meta.url)) main(programArgv());
