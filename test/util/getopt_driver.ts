/*
 * getopt_driver - the TypeScript twin of getopt_driver.c: prints what src/util/getopt.ts
 * returns for a command line. Usage: node getopt_driver.js optstring argv0 [args...]
 */
import { Getopt, GETOPT_END } from '../../src/util/getopt.js';

const [optstring, ...argv] = process.argv.slice(2);
const opts = new Getopt(argv, optstring!);
let out = '';
for (let c = opts.next(); c !== GETOPT_END; c = opts.next()) {
  const optopt = c === '?' || c === ':' ? opts.optopt : '-';
  out += `option ${c} optarg ${opts.optarg ?? '(none)'} optopt ${optopt} optind ${opts.optind}\n`;
}
out += `end optind ${opts.optind}\n`;
for (const operand of opts.rest()) out += `operand ${operand}\n`;
process.stdout.write(out);
