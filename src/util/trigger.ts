/*
 * trigger - what the trigger clients share: the socket trigger itself, the wake-ups still
 * in flight, and the wait for them that a command makes before it exits.
 * Counterpart: postfix/src/util/trigger.h, and event_drain() of events.c as postkick and
 * postqueue use it. A socket trigger stays open until the server closes it (a kernel could
 * otherwise drop the request); each one registers here until then.
 */
import type { Socket } from 'node:net';
import { msg } from './msg.js';
import { strerror } from './strerror.js';

const inFlight = new Set<Promise<void>>();

/** Register a trigger connection that ends when the promise settles. */
export function triggerInFlight(done: Promise<void>): void {
  inFlight.add(done);
  void done.finally(() => inFlight.delete(done));
}

/** How many trigger connections are still open. */
export function triggersInFlight(): number {
  return inFlight.size;
}

/**
 * Postfix: event_drain(time_limit). Wait until every trigger connection has been closed by
 * its server, but no longer than timeLimit seconds.
 */
export async function drainTriggers(timeLimit: number): Promise<void> {
  if (inFlight.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeLimit * 1000);
  });
  try {
    while (inFlight.size > 0) {
      const expired = await Promise.race([limit.then(() => true), Promise.race(inFlight).then(() => false)]);
      if (expired) return;
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What unix_trigger() and inet_trigger() share: connect, send the request and a NUL,
 * hold the connection until the server hangs up. 0 when the request went out (or was
 * attempted), -1 when there was no connection.
 */
export async function streamTrigger(myname: string, connect: (service: string, timeout: number) => Promise<Socket>,
  service: string, request: string, timeout: number): Promise<number> {
  if (msg.verbose > 1) msg.info(`${myname}: service ${service}`);
  let sock: Socket;
  try {
    sock = await connect(service, timeout);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    if (msg.verbose) msg.warn(`${myname}: connect to ${service}: ${strerror(err)}`);
    return -1;
  }
  // Wait for the server to close (or send anything), or lose patience.
  const closed = new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve();
    };
    const timer = timeout > 0
      ? setTimeout(() => {
        msg.warn(`${myname}_event: read timeout for service ${service}`);
        finish();
      }, (timeout + 100) * 1000)
      : undefined;
    sock.on('data', finish);
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', finish);
  });
  triggerInFlight(closed);
  // The request, then its NUL, as two writes like Postfix's (a server's single read may
  // see the request without the NUL; Postfix's servers do not care).
  for (const bytes of [request, '\0']) {
    const error = await writeWithin(sock, Buffer.from(bytes, 'latin1'), timeout);
    if (error !== null) {
      if (msg.verbose) msg.warn(`${myname}: write to ${service}: ${strerror(error)}`);
      break;
    }
  }
  return 0;
}

/** Write, waiting up to timeout seconds (0: no limit) for the kernel to take the bytes. */
function writeWithin(sock: Socket, data: Buffer, timeout: number): Promise<NodeJS.ErrnoException | string | null> {
  return new Promise((resolve) => {
    const timer = timeout > 0 ? setTimeout(() => resolve('ETIMEDOUT'), timeout * 1000) : undefined;
    sock.write(data, (err) => {
      clearTimeout(timer);
      resolve((err as NodeJS.ErrnoException | null | undefined) ?? null);
    });
  });
}
