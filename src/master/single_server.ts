/*
 * single_server - skeleton for a daemon that serves one client connection at a time
 * (smtpd, smtp, cleanup, local, bounce, discard, error, ...).
 * Counterpart: postfix/src/master/single_server.c. The service function gets the accepted
 * connection as a ServiceStream; the skeleton closes it afterwards and tells master when
 * this process is busy. With -S the one client is standard input and output.
 */
import { msg } from '../util/msg.js';
import {
  acceptClient, acceptUnlock, belowUseLimit, inFlowDelay, installCrashHandler, mailServerInit, mailServerLimits,
  mailServerRun, mailServerStandalone, notifyTaken, requestDone, serverState, serviceStream, type ReadWatch,
  type ServerOptions, type StreamService,
} from './mail_server.js';

export { ServiceStream, type ServerOptions } from './mail_server.js';

/** Postfix: SINGLE_SERVER_FN. */
export type SingleService = StreamService;

/** Postfix: single_server_main(). Never returns: the process exits when it is done. */
export async function singleServerMain(argv: string[], service: SingleService, opts: ServerOptions = {}): Promise<never> {
  installCrashHandler();
  const server = await mailServerInit('single', argv, opts);

  // One-shot mode: the client is on standard input and output.
  if (server.standalone) return mailServerStandalone(server, service);

  const st = serverState(server);
  const { timers } = st;

  /* Postfix: single_server_wakeup(). */
  const wakeup = async (fd: number, attr: Map<string, string> | null) => {
    if (msg.verbose) msg.info('connection established');
    const stream = serviceStream(server, fd, attr);
    notifyTaken(server);
    await inFlowDelay(server);
    await service(stream, server.name, server.argv);
    await stream.close();
    requestDone(st);
    if (msg.verbose) msg.info('connection closed');
  };

  /* Postfix: single_server_accept_{local,inet,pass}(). */
  const onListen = async (watch: ReadWatch) => {
    // select() plus accept(), not a blocking accept(): master may go away meanwhile.
    const timeLeft = mailServerLimits.max_idle > 0 ? timers.cancelIdle() : -1;
    if (opts.preAccept) opts.preAccept(server.name, server.argv);
    const client = await acceptClient(server, watch.fd);
    acceptUnlock(server);
    if (client === null) {
      timers.restoreIdle(timeLeft);
      return;
    }
    await wakeup(client.fd, client.attr);
  };

  if (server.retireMe > 0) timers.retireDeadline = Date.now() + server.retireMe * 1000;
  return mailServerRun(st, { more: () => belowUseLimit(st), onListen });
}
