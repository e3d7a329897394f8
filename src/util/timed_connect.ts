/*
 * timed_connect - wait for a socket's connect to finish, with a time limit.
 * Counterpart: postfix/src/util/timed_connect.c. The socket is already connecting; this
 * resolves with it once connected, or rejects with the system error, or with ETIMEDOUT
 * after timeout seconds (0: no limit), destroying the socket on every failure.
 */
import type { Socket } from 'node:net';

/** Postfix: timed_connect(). */
export function timedConnect(sock: Socket, timeout: number): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
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
      timer = setTimeout(() => fail(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), timeout * 1000);
    }
  });
}
