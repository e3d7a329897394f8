/*
 * unix_connect - connect to a UNIX-domain stream socket, with an optional time limit.
 * Counterpart: postfix/src/util/unix_connect.c and timed_connect.c. Node connects without
 * blocking the process either way; the time limit turns a connection that hangs (a full
 * listen queue on some systems) into ETIMEDOUT.
 */
import { connect, type Socket } from 'node:net';
import { msg } from './msg.js';
import { timedConnect } from './timed_connect.js';

/** sizeof(sun_path) on Linux. */
const SUN_PATH_SIZE = 108;

/**
 * Postfix: unix_connect(). Resolves with the connected socket; rejects with the system
 * error (err.code: ENOENT, ECONNREFUSED, ETIMEDOUT ...). timeout is in seconds, 0 = none.
 */
export function unixConnect(path: string, timeout = 0): Promise<Socket> {
  if (Buffer.byteLength(path, 'latin1') >= SUN_PATH_SIZE) msg.fatal(`unix-domain name too long: ${path}`);
  return timedConnect(connect({ path: Buffer.from(path, 'latin1').toString() }), timeout);
}
