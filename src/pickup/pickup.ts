#!/usr/bin/env node
/*
 * NAME
 *	pickup - local mail pickup
 * SYNOPSIS
 *	pickup [generic Postfix daemon options]
 * DESCRIPTION
 *	Started by master(8) as master.cf says. This version reports that it is not built
 *	yet and dies: it comes with the sendmail and pickup issue.
 * SEE ALSO
 *	master(8)
 */
import { isMainModule, programArgv } from '../util/main_module.js';
import { daemonNotBuiltYet } from '../master/not_built_server.js';

export const main = (argv: string[]): never => daemonNotBuiltYet(argv, 'the sendmail and pickup issue');

if (isMainModule(import.meta.url)) main(programArgv());
