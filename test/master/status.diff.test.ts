/*
 * The reference discard and ours under the same fake master (descriptors 3-6 as master
 * hands them): the status records each sends (pid, generation, TAKEN/AVAIL), the bytes a
 * client gets, max_use and max_idle retirement, the exit on master disconnect, and the
 * lock file. The pid differs by nature; everything else must be the same.
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { connectTo, FakeMaster, readLines, waitFor } from '../helpers/fake_master.js';
import { OUR_DAEMON_DIR, REF_DAEMON_DIR } from '../helpers/paths.js';

interface Observed {
  statuses: Array<{ gen: number; avail: number; ownPid: boolean }>;
  replies: string[];
  exit: { code: number | null; signal: string | null } | null;
  lockFile: boolean;
}

/** A client that reads the agent's hello and hangs up, as a queue manager that changed its mind. */
async function hangUpAfterHello(endpoint: string): Promise<string> {
  const sock = await connectTo(endpoint);
  const hello = await readLines(sock, 0, 10_000); // the first chunk: the whole hello
  sock.end();
  await new Promise((resolve) => sock.on('close', resolve));
  return hello;
}

async function observe(t: ExecutionContext, dir: string, args: string[], clients: number, then: 'disconnect' | 'wait'): Promise<Observed> {
  const m = new FakeMaster(t, { program: join(dir, 'discard'), argv0: 'discard', transport: 'unix', args, generation: 0o123 });
  t.true(await waitFor(() => existsSync(m.endpoint)));
  const replies: string[] = [];
  for (let i = 0; i < clients; i++) replies.push(await hangUpAfterHello(m.endpoint));
  await m.waitStatuses(2 * clients);
  if (then === 'disconnect') m.disconnect();
  const exited = await m.waitExit(20_000);
  return {
    statuses: m.statuses.map((s) => ({ gen: s.gen, avail: s.avail, ownPid: s.pid === m.child.pid })),
    replies,
    exit: exited ? m.exit : null,
    lockFile: existsSync(join(m.spool, 'pid', 'unix.discard')),
  };
}

async function compare(t: ExecutionContext, args: string[], clients: number, then: 'disconnect' | 'wait') {
  const [ours, ref] = await Promise.all([
    observe(t, OUR_DAEMON_DIR, args, clients, then),
    observe(t, REF_DAEMON_DIR, args, clients, then),
  ]);
  t.deepEqual(ours, ref);
  return ref;
}

test('two clients, then master goes away', async (t) => {
  const ref = await compare(t, [], 2, 'disconnect');
  t.deepEqual(ref.statuses.map((s) => s.avail), [0, 1, 0, 1]);
  t.true(ref.statuses.every((s) => s.gen === 0o123 && s.ownPid));
  t.is(ref.replies[0], 'protocol\0delivery_request_protocol\0\0');
  t.deepEqual(ref.exit, { code: 0, signal: null });
  t.true(ref.lockFile);
});

test('max_use 2: the process retires after two clients', async (t) => {
  const ref = await compare(t, ['-m', '2'], 2, 'wait');
  t.deepEqual(ref.exit, { code: 0, signal: null });
});

test('max_idle 1 with process limit 1: exits when idle, no lock file', async (t) => {
  const ref = await compare(t, ['-l', '-i', '1'], 1, 'wait');
  t.deepEqual(ref.exit, { code: 0, signal: null });
  t.false(ref.lockFile);
});

/** The uid and root directory of a running process. */
function identity(pid: number): { uid: string; root: string } {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  return { uid: /^Uid:\s+(.*)$/m.exec(status)![1]!, root: readlinkSync(`/proc/${pid}/root`) };
}

async function privileges(t: ExecutionContext, dir: string, args: string[]) {
  const m = new FakeMaster(t, { program: join(dir, 'discard'), argv0: 'discard', transport: 'unix', args });
  t.true(await waitFor(() => existsSync(m.endpoint)));
  // The privileges are dropped before the first client; the hello proves we got that far.
  t.is(await hangUpAfterHello(m.endpoint), 'protocol\0delivery_request_protocol\0\0');
  const id = identity(m.child.pid!);
  m.disconnect();
  t.true(await m.waitExit());
  return { uid: id.uid, root: id.root === m.spool ? 'queue_directory' : id.root, exit: m.exit };
}

test('-u drops to mail_owner, -c enters queue_directory as root directory', async (t) => {
  for (const args of [['-u'], ['-u', '-c']]) {
    const [ours, ref] = await Promise.all([privileges(t, OUR_DAEMON_DIR, args), privileges(t, REF_DAEMON_DIR, args)]);
    t.deepEqual(ours, ref, args.join(' '));
    t.is(ref.root, args.includes('-c') ? 'queue_directory' : '/');
    t.not(ref.uid.split(/\s+/)[0], '0');
  }
});
