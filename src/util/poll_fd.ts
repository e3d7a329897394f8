/*
 * poll_fd - wait until a descriptor is readable or writable, without blocking the event loop.
 * Counterpart: postfix/src/util/poll_fd.c (read_wait(), write_wait()) and non_blocking.c.
 * The wait runs in libuv through koffi's poll handle, on a duplicate of the descriptor, so
 * that a descriptor that a Node socket also watches can be waited on too. libuv makes the
 * duplicate non-blocking, which the original shares; its previous mode is put back.
 */
import koffi from 'koffi';
import { check, libc, sysError, F_GETFL, F_SETFL, O_NONBLOCK } from './sys_libc.js';

const F_DUPFD_CLOEXEC = 1030;
const ETIMEDOUT = 110;

type Events = { readable?: boolean; writable?: boolean };

function pollWait(fd: number, events: Events, timeoutSec?: number): Promise<void> {
  const c = libc();
  const flags = check(c.fcntlInt(fd, F_GETFL, 0), 'fcntl');
  const watched = check(c.fcntlInt(fd, F_DUPFD_CLOEXEC, 0), 'fcntl');
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let handle: { close(): void } | null = null;
    const finish = (err?: Error) => {
      if (timer !== undefined) clearTimeout(timer);
      handle?.close();
      c.close(watched);
      if ((flags & O_NONBLOCK) === 0) c.fcntlInt(fd, F_SETFL, flags);
      if (err) reject(err);
      else resolve();
    };
    try {
      // koffi calls back with (status, events); its type declaration omits the status.
      const onEvent = ((status: number) => finish(status < 0 ? sysError('poll', -status) : undefined)) as unknown;
      handle = koffi.node.poll(watched, events, onEvent as (ev: unknown) => void);
    } catch (err) {
      finish(err as Error);
      return;
    }
    if (timeoutSec !== undefined && timeoutSec >= 0) {
      timer = setTimeout(() => finish(sysError('poll', ETIMEDOUT)), timeoutSec * 1000);
    }
  });
}

/** Postfix: read_wait(). Rejects with ETIMEDOUT after timeoutSec seconds, when given. */
export function readWait(fd: number, timeoutSec?: number): Promise<void> {
  return pollWait(fd, { readable: true }, timeoutSec);
}

/** Postfix: write_wait(). */
export function writeWait(fd: number, timeoutSec?: number): Promise<void> {
  return pollWait(fd, { writable: true }, timeoutSec);
}

export const BLOCKING = 0;
export const NON_BLOCKING = 1;

/** Postfix: non_blocking(). Returns the previous mode, BLOCKING or NON_BLOCKING. */
export function nonBlocking(fd: number, mode: number): number {
  const c = libc();
  const flags = check(c.fcntlInt(fd, F_GETFL, 0), 'fcntl');
  const next = mode === NON_BLOCKING ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  if (next !== flags) check(c.fcntlInt(fd, F_SETFL, next), 'fcntl');
  return flags & O_NONBLOCK ? NON_BLOCKING : BLOCKING;
}
