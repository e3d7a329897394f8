/*
 * inet_connect - connect to "host:port", "[address]:port" or a bare port on localhost,
 * trying each address of the host in turn, with a time limit per attempt.
 * Counterpart: postfix/src/util/inet_connect.c with host_port.c. Names are resolved by the
 * C library through Node (getaddrinfo order kept); service names come from /etc/services.
 * XXX Postfix also checks host name syntax before it resolves a name; we let the resolver
 * reject bad names.
 */
import { lookup } from 'node:dns/promises';
import { connect, type Socket } from 'node:net';
import { msg } from './msg.js';
import { timedConnect } from './timed_connect.js';
import { allDigits } from './stringops.js';
import { findInetPort } from './find_inet.js';

/** Postfix: host_port() with "localhost" for a missing host. Host and port, or an error. */
export function hostPort(text: string): { host: string; port: string } | string {
  let host: string;
  let port: string;
  if (text.startsWith('[')) {
    let rest = text.slice(1);
    if (rest.toLowerCase().startsWith('ipv6:')) rest = rest.slice(5);
    const close = rest.indexOf(']');
    if (close < 0) return 'missing "]"';
    host = rest.slice(0, close);
    const after = rest.slice(close + 1);
    if (after !== '' && after[0] !== ':') return 'garbage after "]"';
    port = after.slice(1);
    if (port === '') return 'missing service information';
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon) || 'localhost';
      port = text.slice(colon + 1);
      if (port === '') return 'missing service information';
    } else {
      host = 'localhost';
      port = text;
    }
  }
  if (host === '') return 'missing host information';
  if (/^[0-9]/.test(port) && !allDigits(port)) return 'garbage after numerical service';
  return { host, port };
}

/** The TCP port of a service name or number, or undefined. */
function servicePort(service: string): number | undefined {
  if (allDigits(service)) return Number(service) & 0xffff;
  return findInetPort(service);
}

/**
 * The errno that a successful connect with a time limit leaves behind: the connect is
 * made non-blocking and returns EINPROGRESS. Messages with %m after it show this.
 */
export const CONNECT_ERRNO = 115; // EINPROGRESS

/** getaddrinfo() error texts, as MAI_STRERROR() prints them. */
const GAI_TEXT: Record<string, string> = {
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
  EAI_NODATA: 'No address associated with hostname',
};

function connectOne(address: string, family: number, port: number, timeout: number): Promise<Socket> {
  return timedConnect(connect({ host: address, port, family }), timeout);
}

/**
 * Postfix: inet_connect(). Resolves with the connected socket; rejects with the system
 * error of the last attempt, or EADDRNOTAVAIL (after a warning) when the name is unknown.
 */
export async function inetConnect(addr: string, timeout: number): Promise<Socket> {
  const parsed = hostPort(addr);
  if (typeof parsed === 'string') msg.fatal(`${addr}: ${parsed}`);
  const port = servicePort(parsed.port);
  let addresses: { address: string; family: number }[];
  try {
    if (port === undefined) throw Object.assign(new Error('unknown service'), { code: 'EAI_SERVICE' });
    addresses = await lookup(parsed.host, { all: true, verbatim: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const text = code === 'EAI_SERVICE' ? 'Servname not supported for ai_socktype' : GAI_TEXT[code] ?? code;
    msg.warn(`host or service ${addr} not found: ${text}`);
    throw Object.assign(new Error('address not available'), { code: 'EADDRNOTAVAIL' });
  }
  if (addresses.length === 0) msg.fatal(`host not found: ${addr}`);
  let last: unknown;
  for (const { address, family } of addresses) {
    if (msg.verbose) msg.info(`trying... [${address}]`);
    try {
      return await connectOne(address, family, port!, timeout);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
