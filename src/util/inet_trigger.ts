/*
 * inet_trigger - wake up a server over TCP ("host:port"): connect, send the request bytes
 * and one NUL, then hold the connection until the server closes it. master uses this for
 * the wake-ups of inet services.
 * Counterpart: postfix/src/util/inet_trigger.c; the mechanics are shared with unix_trigger.
 */
import { inetConnect } from './inet_connect.js';
import { streamTrigger } from './trigger.js';

/** Postfix: inet_trigger(). 0 when the request went out (or was attempted), -1: no connection. */
export function inetTrigger(service: string, request: string, timeout: number): Promise<number> {
  return streamTrigger('inet_trigger', inetConnect, service, request, timeout);
}
