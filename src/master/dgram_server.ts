/*
 * dgram_server - skeleton for a daemon that serves one datagram at a time on the
 * unix-dgram socket that master hands it (postlogd).
 * Counterpart: postfix/src/master/dgram_server.c. The service function gets each datagram
 * (at most DGRAM_BUF_SIZE bytes, longer ones are cut) with the service name and the
 * arguments left after the options. There is no stand-alone mode and no retirement.
 */
import { msg } from '../util/msg.js';
import { unixDgramRecv } from '../util/unix_dgram_listen.js';
import {
  acceptUnlock, belowUseLimit, inFlowDelay, installCrashHandler, mailServerInit, mailServerRun, notifyTaken,
  requestDone, serverState, type ReadWatch, type ServerOptions,
} from './mail_server.js';

/** Postfix: DGRAM_BUF_SIZE. */
export const DGRAM_BUF_SIZE = 4096;

/** Postfix: DGRAM_SERVER_FN; buf holds exactly the bytes received. */
export type DgramService = (buf: Buffer, serviceName: string, argv: string[]) => void | Promise<void>;

/** Postfix: dgram_server_main(). Never returns: the process exits when it is done. */
export async function dgramServerMain(argv: string[], service: DgramService, opts: ServerOptions = {}): Promise<never> {
  installCrashHandler();
  const server = await mailServerInit('dgram', argv, opts);
  const st = serverState(server);

  /* Postfix: dgram_server_accept_unix() and dgram_server_wakeup(). */
  const onListen = async (watch: ReadWatch) => {
    acceptUnlock(server);
    if (msg.verbose) msg.info('dgram_server_accept: request arrived');
    if (opts.preAccept) opts.preAccept(server.name, server.argv);
    notifyTaken(server);
    await inFlowDelay(server);
    let buf: Buffer | null = null;
    try {
      // Non-blocking: another process may have taken the datagram.
      buf = unixDgramRecv(watch.fd, DGRAM_BUF_SIZE);
    } catch {
      buf = null; // as a failed recv() in Postfix: no service call
    }
    if (buf !== null) await service(buf, server.name, server.argv);
    requestDone(st);
  };

  return mailServerRun(st, { more: () => belowUseLimit(st), onListen });
}
