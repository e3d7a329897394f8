/*
 * mail_connect - connect to a mail system service: <class>/<name> relative to the current
 * directory, which Postfix programs make the queue directory.
 * Counterpart: postfix/src/global/mail_connect.c. The stream gets the ipc_timeout I/O
 * limit and the path "<class>/<name> socket" that diagnostics show, as in Postfix.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { unixConnect } from '../util/unix_connect.js';
import { AsyncVStream } from '../util/vstream_async.js';
import { mailPathname, varIpcTimeout } from './mail_proto.js';

export type MailConnectResult =
  | { stream: AsyncVStream; error?: undefined }
  | { stream: null; error: NodeJS.ErrnoException };

/** Postfix: timed_ipc_setup(): the I/O time limit of internal connections. */
export function timedIpcSetup(stream: AsyncVStream): void {
  const timeout = varIpcTimeout();
  if (timeout <= 0) msg.panic(`timed_ipc_setup: bad ipc_timeout ${timeout}`);
  stream.timeout = timeout;
}

/** Postfix: mail_connect(). One attempt; the error says why it failed. */
export async function mailConnect(serviceClass: string, name: string): Promise<MailConnectResult> {
  const path = mailPathname(serviceClass, name);
  try {
    const sock = await unixConnect(path);
    if (msg.verbose) msg.info(`connect to subsystem ${path}`);
    const stream = new AsyncVStream(sock, sock, { path: `${path} socket` });
    timedIpcSetup(stream);
    return { stream };
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    if (error.code === undefined) throw err;
    if (msg.verbose) msg.info(`connect to subsystem ${path}: ${strerror(error)}`);
    return { stream: null, error };
  }
}

/** Attempts mail_connect_wait() makes before it gives up, and the pause between them. */
export const MAIL_CONNECT_WAIT_TRIES = 11;
export const MAIL_CONNECT_WAIT_DELAY = 10;

/**
 * Postfix: mail_connect_wait(). Keeps trying, with a warning and a 10-second pause after
 * each failure; the eleventh failure is fatal. delaySeconds exists for tests.
 */
export async function mailConnectWait(serviceClass: string, name: string,
  delaySeconds = MAIL_CONNECT_WAIT_DELAY): Promise<AsyncVStream> {
  for (let count = 1; ; count++) {
    const result = await mailConnect(serviceClass, name);
    if (result.stream !== null) return result.stream;
    const text = `connect #${count} to subsystem ${serviceClass}/${name}: ${strerror(result.error)}`;
    if (count >= MAIL_CONNECT_WAIT_TRIES) msg.fatal(text);
    msg.warn(text);
    await sleep(delaySeconds * 1000);
  }
}
