/*
 * inet_connect - connect to a TCP endpoint "host:port" (or "[address]:port"), with an
 * optional time limit.
 * Counterpart: postfix/src/util/inet_connect.c. Name resolution is Node's (getaddrinfo);
 * Postfix tries each address of the host in turn, Node's connect does the same.
 */
import { connect as tcpConnect, type Socket } from 'node:net';

/** Postfix: inet_connect(): "host:port" or "[v6addr]:port". */
export function inetConnect(endpoint: string, timeout: number): Promise<Socket> {
  const m = /^(?:\[(.*)\]|(.*)):([^:]*)$/.exec(endpoint);
  if (m === null) return Promise.reject(Object.assign(new Error(`bad endpoint ${endpoint}`), { code: 'EINVAL' }));
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host: m[1] ?? m[2], port: Number(m[3]) });
    const timer = timeout > 0 ? setTimeout(() => {
      sock.destroy();
      reject(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
    }, timeout * 1000) : undefined;
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
  });
}

