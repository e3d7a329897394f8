/*
 * myflock: our locks against python3's fcntl.flock() and fcntl.lockf() in another process,
 * both ways, for the flock and fcntl lock styles.
 */
import test from 'ava';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import { PythonPeer } from '../helpers/python.js';
import {
  isLockBusy, myflock, myflockAsync, MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OP_NONE, MYFLOCK_OP_NOWAIT,
  MYFLOCK_OP_SHARED, MYFLOCK_STYLE_FCNTL, MYFLOCK_STYLE_FLOCK,
} from '../../src/util/myflock.js';
import { strerror } from '../../src/util/strerror.js';

/*
 * Commands: "try sh|ex" attempts a non-blocking lock and says "ok" or "busy"; "hold ex"
 * waits for the lock and says "held"; "unlock" says "unlocked"; "ping" says "pong". The style is argv[2]:
 * flock() or lockf(), the latter being fcntl() record locks.
 */
const LOCKER = `
import fcntl, sys
path, style = sys.argv[1], sys.argv[2]
f = open(path, 'r+')
def lock(kind, wait):
    if style == 'flock':
        op = fcntl.LOCK_SH if kind == 'sh' else fcntl.LOCK_EX
        fcntl.flock(f, op if wait else op | fcntl.LOCK_NB)
    else:
        op = fcntl.LOCK_SH if kind == 'sh' else fcntl.LOCK_EX
        fcntl.lockf(f, op if wait else op | fcntl.LOCK_NB)
for line in sys.stdin:
    cmd, *arg = line.split()
    if cmd == 'try':
        try:
            lock(arg[0], False)
            print('ok')
        except OSError:
            print('busy')
    elif cmd == 'hold':
        lock(arg[0], True)
        print('held')
    elif cmd == 'ping':
        print('pong')
    elif cmd == 'unlock':
        if style == 'flock':
            fcntl.flock(f, fcntl.LOCK_UN)
        else:
            fcntl.lockf(f, fcntl.LOCK_UN)
        print('unlocked')
`;

const STYLES = [
  { name: 'flock', style: MYFLOCK_STYLE_FLOCK, python: 'flock' },
  { name: 'fcntl', style: MYFLOCK_STYLE_FCNTL, python: 'lockf' },
] as const;

function lockFile(t: Parameters<typeof tempDir>[0]): { path: string; fd: number } {
  const path = join(tempDir(t), 'lockfile');
  writeFileSync(path, 'content\n');
  const fd = openSync(path, 'r+');
  t.teardown(() => closeSync(fd));
  return { path, fd };
}

for (const { name, style, python } of STYLES) {
  test(`${name}: our exclusive lock blocks python's, until we unlock`, async (t) => {
    const { path, fd } = lockFile(t);
    const peer = new PythonPeer(t, LOCKER, [path, python]);
    myflock(fd, style, MYFLOCK_OP_EXCLUSIVE);
    t.is(await peer.ask('try sh'), 'busy');
    t.is(await peer.ask('try ex'), 'busy');
    myflock(fd, style, MYFLOCK_OP_NONE);
    t.is(await peer.ask('try ex'), 'ok');
  });

  test(`${name}: our shared lock admits python's shared lock only`, async (t) => {
    const { path, fd } = lockFile(t);
    const peer = new PythonPeer(t, LOCKER, [path, python]);
    myflock(fd, style, MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT);
    t.is(await peer.ask('try ex'), 'busy');
    t.is(await peer.ask('try sh'), 'ok');
  });

  test(`${name}: python's lock makes ours fail with EAGAIN, and a waiting lock succeeds once it is gone`, async (t) => {
    const { path, fd } = lockFile(t);
    const peer = new PythonPeer(t, LOCKER, [path, python]);
    t.is(await peer.ask('hold ex'), 'held');
    for (const op of [MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OP_SHARED]) {
      const err = t.throws(() => myflock(fd, style, op | MYFLOCK_OP_NOWAIT));
      t.true(isLockBusy(err));
      t.is(strerror(err), 'Resource temporarily unavailable');
    }
    let acquired = false;
    const waiting = myflockAsync(fd, style, MYFLOCK_OP_EXCLUSIVE).then(() => (acquired = true));
    // A round trip to python: the waiting lock must still be waiting.
    t.is(await peer.ask('ping'), 'pong');
    t.false(acquired);
    t.is(await peer.ask('unlock'), 'unlocked');
    await waiting;
    t.true(acquired);
    t.is(await peer.ask('try sh'), 'busy');
  });
}

test('myflock reports a bad descriptor with the glibc text', (t) => {
  for (const { style } of STYLES) {
    const err = t.throws(() => myflock(-1, style, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT));
    t.is((err as NodeJS.ErrnoException).code, 'EBADF');
    t.is(strerror(err), 'Bad file descriptor');
  }
});

test('flock and fcntl locks are independent of each other on Linux', async (t) => {
  // What Postfix relies on when it lets lock styles be configured per file.
  const { path, fd } = lockFile(t);
  const peer = new PythonPeer(t, LOCKER, [path, 'lockf']);
  myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE);
  t.is(await peer.ask('try ex'), 'ok');
});
