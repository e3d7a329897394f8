/*
 * skeleton_daemon - a daemon for the skeleton tests: SKEL_KIND picks the skeleton; what
 * it serves is written to the file SKEL_OUT (default: "out" beside the configuration directory; one line per request), and stream servers
 * answer on the connection. SKEL_SLEEP_MS delays each service call, SKEL_HOOKS=1 logs the
 * hooks to SKEL_OUT, SKEL_LOOP=N adds a loop hook that asks to wake up every N seconds.
 */
import { appendFileSync } from 'node:fs';
import { programArgv } from '../../src/util/main_module.js';
import { dgramServerMain } from '../../src/master/dgram_server.js';
import type { ServerOptions, ServiceStream } from '../../src/master/mail_server.js';
import { singleServerMain } from '../../src/master/single_server.js';
import { multiServerDisconnect, multiServerMain } from '../../src/master/multi_server.js';
import { eventServerDisconnect, eventServerMain } from '../../src/master/event_server.js';
import { triggerServerMain } from '../../src/master/trigger_server.js';
import { VSTREAM_EOF } from '../../src/util/vstream_async.js';

const out = process.env.SKEL_OUT ?? `${process.env.MAIL_CONFIG}/../out`;
const sleepMs = Number(process.env.SKEL_SLEEP_MS ?? '0');
const record = (line: string) => appendFileSync(out, `${line}\n`, 'latin1');
const pause = () => new Promise((resolve) => setTimeout(resolve, sleepMs));

const hooks: ServerOptions = process.env.SKEL_HOOKS !== '1' ? {} : {
  preInit: (name, argv) => record(`preInit ${name} ${argv.join(',')} cwd=${process.cwd()}`),
  postInit: (name) => record(`postInit ${name} uid=${process.getuid!()}`),
  exit: (name) => record(`exit ${name}`),
  preAccept: (name) => record(`preAccept ${name}`),
  preDisconnect: (_stream, name) => record(`preDisconnect ${name}`),
  ...(process.env.SKEL_LOOP === undefined ? {} : {
    // Wake up every SKEL_LOOP seconds (at most), as qmgr does.
    loop: (name: string) => {
      record(`loop ${name}`);
      return Number(process.env.SKEL_LOOP);
    },
  }),
};

/** One request line, or null at end of input. */
async function readLine(stream: ServiceStream): Promise<string | null> {
  const { text, ch } = await stream.readUntil((c) => c === 10);
  return ch === VSTREAM_EOF ? null : text;
}

const describe = (name: string, args: string[], attr: Map<string, string> | null = null) =>
  `${name} [${args.join(',')}]${attr === null ? '' : ` {${[...attr].map(([k, v]) => `${k}=${v}`).join(',')}}`}`;

const argv = programArgv();
switch (process.env.SKEL_KIND) {
  case 'dgram':
    await dgramServerMain(argv, async (buf, name, args) => {
      if (sleepMs > 0) await pause();
      record(`dgram ${name} [${args.join(',')}] ${buf.toString('latin1')}`);
    }, hooks);
    break;
  case 'single':
    await singleServerMain(argv, async (stream, name, args) => {
      const line = await readLine(stream);
      if (sleepMs > 0) await pause();
      record(`single ${describe(name, args, stream.attr)} ${line}`);
      stream.write(`single ${describe(name, args, stream.attr)} ${line}\n`);
      await stream.flush();
    }, hooks);
    break;
  case 'multi':
    await multiServerMain(argv, async (stream, name, args) => {
      const line = await readLine(stream);
      if (line === 'bye') {
        multiServerDisconnect(stream);
        return;
      }
      if (sleepMs > 0) await pause();
      record(`multi ${describe(name, args)} ${line}`);
      stream.write(`multi ${describe(name, args)} ${line}\n`);
      await stream.flush();
    }, hooks);
    break;
  case 'event':
    await eventServerMain(argv, (stream, name, args) => {
      record(`event ${describe(name, args)} connect`);
      stream.write('hello\n');
      // The session runs on after the service function returned.
      void (async () => {
        for (let line = await readLine(stream); line !== null; line = await readLine(stream)) {
          stream.write(`event ${line}\n`);
          await stream.flush();
        }
        record(`event ${describe(name, args)} disconnect`);
        eventServerDisconnect(stream);
      })();
      return stream.flush().then(() => undefined);
    }, hooks);
    break;
  case 'trigger':
    await triggerServerMain(argv, async (buf, name, args) => {
      if (sleepMs > 0) await pause();
      record(`trigger ${describe(name, args)} ${buf.toString('hex')}`);
    }, hooks);
    break;
  default:
    throw new Error(`unknown SKEL_KIND ${process.env.SKEL_KIND}`);
}
