/*
 * unix_connect - connect to a UNIX-domain stream socket, with an optional time limit.
 * Counterpart: postfix/src/util/unix_connect.c and timed_connect.c. Node connects without
 * blocking the process either way; the time limit turns a connection that hangs (a full
 * listen queue on some systems) into ETIMEDOUT.
 */
import { connect, type Socket } from 'node:net';
import { msg } from './msg.js';

/** sizeof(sun_path) on Linux. */
const SUN_PATH_SIZE = 108;

/**
 * Postfix: unix_connect(). Resolves with the connected socket; rejects with the system
 * error (err.code: ENOENT, ECONNREFUSED, ETIMEDOUT ...). timeout is in seconds, 0 = none.
 */
export function unixConnect(path: string, timeout = 0): Promise<Socket> {
  if (Buffer.byteLength(path, 'latin1') >= SUN_PATH_SIZE) msg.fatal(`unix-domain name too long: ${path}`);
  return new Promise<Socket>((resolve, reject) => {
    const sock = connect({ path: Buffer.from(path, 'latin1').toString() });
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: NodeJS.ErrnoException) => {
      if (timer !== undefined) clearTimeout(timer);
      sock.destroy();
      reject(err);
    };
    sock.once('error', fail);
    sock.once('connect', () => {
      if (timer !== undefined) clearTimeout(timer);
      sock.off('error', fail);
      resolve(sock);
    });
    if (timeout > 0) {
      timer = setTimeout(() => fail(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })),
        timeout * 1000);
    }
  });
}
