/*
 * endpoints - what tests put in a queue directory for Postfix programs to talk to: a
 * private instance (main.cf plus queue directories), trigger servers on UNIX sockets,
 * fifos with a reader, stale sockets. Everything is removed or closed at teardown.
 */
import type { ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './diff.js';

export interface Instance {
  config: string;
  spool: string;
}

/** A configuration directory and a queue directory with the given subdirectories. */
export function tempInstance(t: ExecutionContext, mainCf: string,
  queueDirs: readonly string[] = ['public', 'private']): Instance {
  const dir = tempDir(t, 'pf-instance-');
  const config = join(dir, 'etc');
  const spool = join(dir, 'spool');
  mkdirSync(config);
  for (const sub of queueDirs) mkdirSync(join(spool, sub), { recursive: true });
  writeFileSync(join(config, 'main.cf'), `queue_directory = ${spool}\n${mainCf}`);
  return { config, spool };
}

export interface TriggerServer {
  /** Everything each connection delivered, one string per connection, in order. */
  received: string[];
  /** Wait until every connection so far has closed (its bytes are then all in received). */
  idle(): Promise<void>;
}

/**
 * A trigger server like Postfix's: hang up after the first bytes of each connection
 * (unless hangUp is false), and record all bytes that arrive before the close.
 */
export async function triggerServer(t: ExecutionContext, path: string, hangUp = true): Promise<TriggerServer> {
  const received: string[] = [];
  const open = new Set<Socket>();
  let waiters: (() => void)[] = [];
  const server = createServer((sock) => {
    open.add(sock);
    const index = received.push('') - 1;
    sock.on('data', (data) => {
      received[index] += data.toString('latin1');
      if (hangUp) sock.end();
    });
    sock.on('close', () => {
      open.delete(sock);
      if (open.size === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => {
    for (const sock of open) sock.destroy();
    server.close();
  });
  const idle = () => (open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)));
  return { received, idle };
}

/** Make a fifo and hold its reading end open; the function returns what arrived since. */
export function fifoReader(t: ExecutionContext, path: string, mode = '0622'): () => string {
  t.is(spawnSync('mkfifo', ['-m', mode, path]).status, 0);
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  t.teardown(() => closeSync(fd));
  return () => {
    const buf = Buffer.alloc(1024);
    try {
      return buf.toString('latin1', 0, readSync(fd, buf));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return '';
      throw err;
    }
  };
}

/** A socket file nobody listens on: its listener was killed before it could clean up. */
export function staleSocket(path: string): void {
  spawnSync(process.execPath, ['-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
}
