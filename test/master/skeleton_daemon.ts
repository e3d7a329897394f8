/*
 * skeleton_daemon - a daemon for the skeleton tests: SKEL_KIND picks the skeleton; what
 * it serves is written to the file SKEL_OUT (default: "out" beside the configuration directory; one line per request), and stream servers
 * answer on the connection. SKEL_SLEEP_MS delays each service call, SKEL_HOOKS=1 logs the
 * hooks to SKEL_OUT.
 */
import { appendFileSync } from 'node:fs';
import { programArgv } from '../../src/util/main_module.js';
import { dgramServerMain } from '../../src/master/dgram_server.js';
import type { ServerOptions } from '../../src/master/mail_server.js';

const out = process.env.SKEL_OUT ?? `${process.env.MAIL_CONFIG}/../out`;
const sleepMs = Number(process.env.SKEL_SLEEP_MS ?? '0');
const record = (line: string) => appendFileSync(out, `${line}\n`, 'latin1');
const pause = () => new Promise((resolve) => setTimeout(resolve, sleepMs));

const hooks: ServerOptions = process.env.SKEL_HOOKS !== '1' ? {} : {
  preInit: (name, argv) => record(`preInit ${name} ${argv.join(',')} cwd=${process.cwd()}`),
  postInit: (name) => record(`postInit ${name} uid=${process.getuid!()}`),
  exit: (name) => record(`exit ${name}`),
  preAccept: (name) => record(`preAccept ${name}`),
};

const argv = programArgv();
switch (process.env.SKEL_KIND) {
  case 'dgram':
    await dgramServerMain(argv, async (buf, name, args) => {
      if (sleepMs > 0) await pause();
      record(`dgram ${name} [${args.join(',')}] ${buf.toString('latin1')}`);
    }, hooks);
    break;
  default:
    throw new Error(`unknown SKEL_KIND ${process.env.SKEL_KIND}`);
}
