/*
 * _mail_conf_driver - load named main.cf parameters with loadMainCf() and print them,
 * reporting trouble as "postmap: fatal: ..." so that the output lines up with what the
 * reference postmap prints when mail_params_init() rejects the same setting.
 * Usage: node _mail_conf_driver.js name...   (MAIL_CONFIG names the directory)
 */
import { msgVstreamInit } from '../../src/util/msg.js';
import { loadMainCf } from '../../src/global/mail_conf.js';
import type { ParamName } from '../../src/global/mail_params.js';

msgVstreamInit('postmap', 2);
const cfg = loadMainCf(process.argv.slice(2) as ParamName[]);
for (const [name, value] of Object.entries(cfg)) process.stdout.write(`${name} = ${String(value)}\n`);
