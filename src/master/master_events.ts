/*
 * master_events - read events on raw descriptors for master(8): listen sockets and status
 * channels, each with one persistent watcher that is switched on and off.
 * Counterpart: event_enable_read() and event_disable_readwrite() of postfix/src/util/events.c,
 * on top of libuv's poll handles (koffi.node.poll), which are level-triggered like select().
 */
import koffi from 'koffi';

export interface ReadWatch {
  /** Call back while the descriptor is readable (again after stop()). */
  start(): void;
  stop(): void;
  /** Forget the descriptor; call this before closing it. */
  close(): void;
  readonly active: boolean;
}

/** A watcher for fd, initially stopped. */
export function readWatch(fd: number, onReadable: () => void): ReadWatch {
  // An error status shows up again when the descriptor is read, so it needs no branch here.
  const callback = (() => onReadable()) as (ev: unknown) => void;
  const handle = koffi.node.poll(fd, { readable: true }, callback);
  handle.stop();
  let active = false;
  let closed = false;
  return {
    start() {
      if (closed || active) return;
      handle.start({ readable: true }, callback);
      active = true;
    },
    stop() {
      if (closed || !active) return;
      handle.stop();
      active = false;
    },
    close() {
      if (closed) return;
      closed = true;
      active = false;
      handle.close();
    },
    get active() {
      return active;
    },
  };
}
