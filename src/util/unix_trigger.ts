/*
 * unix_trigger - wake up a server over a UNIX-domain stream socket: connect, send the
 * request bytes and one NUL, then hold the connection until the server closes it.
 * Counterpart: postfix/src/util/unix_trigger.c. The wait for the close runs in the
 * background (see drainTriggers() in trigger.ts); it gives up timeout + 100 seconds later.
 */
import { streamTrigger } from './trigger.js';
import { unixConnect } from './unix_connect.js';

/** Postfix: unix_trigger(). 0 when the request went out (or was attempted), -1: no connection. */
export function unixTrigger(service: string, request: string, timeout: number): Promise<number> {
  return streamTrigger('unix_trigger', unixConnect, service, request, timeout);
}
