/*
 * postkick, ours and the reference's, against endpoints the test makes in a private queue
 * directory: a trigger server on a UNIX socket, a fifo, a stale socket nobody listens on,
 * a plain file, nothing at all, and a server that never hangs up. Same bytes received,
 * same standard error, same exit status.
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../helpers/captures.js';
import { requireRoot, runOurs, runReference, type RunOptions } from '../helpers/diff.js';
import { fifoReader, staleSocket, tempInstance, triggerServer, type Instance } from '../helpers/endpoints.js';

interface KickCase {
  title: string;
  mainCf?: string;
  /** Make the endpoint; returns a function that tells what arrived there so far, if anything can. */
  setup: (t: ExecutionContext, inst: Instance) => Promise<(() => Promise<string[]>) | void>;
  args: string[];
  status: number;
  /** What the reference delivered to the endpoint, from the captures (ours must match). */
  delivered?: string;
  env?: boolean;
}

const socketAt = (name: string, hangUp = true) => async (t: ExecutionContext, inst: Instance) => {
  const server = await triggerServer(t, join(inst.spool, name), hangUp);
  return async () => {
    await server.idle();
    return server.received;
  };
};

const CASES: KickCase[] = [
  { title: 'socket: request plus NUL, then wait for the server to hang up', setup: socketAt('public/kicktest'),
    args: ['public', 'kicktest', 'DI'], status: 0, delivered: readCapture('trigger_postkick_DI.bin') },
  { title: 'socket in private/, several letters', setup: socketAt('private/qmgr'),
    args: ['private', 'qmgr', 'FADI'], status: 0, delivered: readCapture('trigger_postqueue_f_to_qmgr_socket.bin') },
  { title: 'MAIL_CONFIG instead of -c', setup: socketAt('public/pickup'), env: true,
    args: ['public', 'pickup', 'W'], status: 0, delivered: readCapture('trigger_postdrop_to_pickup_socket.bin') },
  { title: 'server that never hangs up: give up after application_event_drain_time', mainCf: 'application_event_drain_time = 2s\n',
    setup: socketAt('public/slow', false), args: ['public', 'slow', 'W'], status: 0, delivered: 'W\0' },
  { title: 'fifo: the request bytes without a NUL', args: ['public', 'pickup', 'W'], status: 0,
    delivered: readCapture('trigger_postqueue_f_to_pickup_fifo.bin'),
    setup: async (t, inst) => {
      const read = fifoReader(t, join(inst.spool, 'public/pickup'));
      const seen: string[] = [];
      return async () => {
        const more = read();
        if (more !== '') seen.push(more);
        return seen;
      };
    } },
  { title: 'fifo without a reader', args: ['public', 'qmgr', 'I'], status: 1,
    setup: async (t, inst) => void t.is(spawnSync('mkfifo', [join(inst.spool, 'public/qmgr')]).status, 0) },
  { title: 'fifo through a symbolic link in a group-writable directory', args: ['public', 'link', 'W'], status: 1,
    setup: async (t, inst) => {
      fifoReader(t, join(inst.spool, 'private/target'));
      symlinkSync(join(inst.spool, 'private/target'), join(inst.spool, 'public/link'));
      chmodSync(join(inst.spool, 'public'), 0o775);
    } },
  { title: 'no such endpoint', setup: async () => undefined, args: ['public', 'nosuch', 'W'], status: 1 },
  { title: 'endpoint that is neither socket nor fifo', args: ['public', 'plain', 'W'], status: 1,
    setup: async (_t, inst) => writeFileSync(join(inst.spool, 'public/plain'), '') },
  { title: 'stale socket with no listener', args: ['public', 'stale', 'W'], status: 1,
    setup: async (t, inst) => {
      staleSocket(join(inst.spool, 'public/stale'));
      t.true(existsSync(join(inst.spool, 'public/stale')));
    } },
  { title: 'queue directory that does not exist', args: ['public', 'x', 'W'], status: 1,
    setup: async (_t, inst) => writeFileSync(join(inst.config, 'main.cf'), `queue_directory = ${inst.spool}/nonexistent\n`) },
  { title: 'too few arguments', setup: async () => undefined, args: ['public', 'x'], status: 1 },
  { title: 'too many arguments', setup: async () => undefined, args: ['public', 'x', 'W', 'extra'], status: 1 },
];

for (const c of CASES) {
  test(c.title, async (t) => {
    if (!requireRoot(t)) return;
    const inst = tempInstance(t, c.mainCf ?? '');
    const arrived = (await c.setup(t, inst)) ?? (async () => []);
    const args = c.env ? c.args : ['-c', inst.config, ...c.args];
    const opts: RunOptions = c.env ? { env: { MAIL_CONFIG: inst.config } } : {};
    // Ours, then the reference, so that each delivery belongs to one program.
    const ours = await runOurs('postkick', args, opts);
    const fromOurs = [...await arrived()];
    const ref = await runReference('postkick', args, opts);
    const fromRef = (await arrived()).slice(fromOurs.length);
    t.deepEqual(ours, ref);
    t.is(ref.status, c.status, 'the reference behaved as the case expects');
    if (c.delivered !== undefined) {
      t.deepEqual(fromRef, [c.delivered], 'the reference delivered the captured bytes');
      t.deepEqual(fromOurs, fromRef);
    }
  });
}
