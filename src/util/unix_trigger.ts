/*
 * unix_trigger - wake up a server over a UNIX-domain stream socket: connect, send the
 * request bytes and one NUL, then hold the connection until the server closes it.
 * Counterpart: postfix/src/util/unix_trigger.c. The wait for the close runs in the
 * background (see drainTriggers() in trigger.ts); it gives up timeout + 100 seconds later.
 */
import type { Socket } from 'node:net';
import { msg } from './msg.js';
import { strerror } from './strerror.js';
import { triggerInFlight } from './trigger.js';
import { unixConnect } from './unix_connect.js';

/** Postfix: unix_trigger(). 0 when the request went out (or was attempted), -1: no connection. */
export async function unixTrigger(service: string, request: string, timeout: number): Promise<number> {
  const myname = 'unix_trigger';
  if (msg.verbose > 1) msg.info(`${myname}: service ${service}`);
  let sock: Socket;
  try {
    sock = await unixConnect(service, timeout);
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
        msg.warn(`unix_trigger_event: read timeout for service ${service}`);
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
