/*
 * event_server - skeleton for a daemon that takes many clients and drives each one with
 * its own events (postscreen, tlsproxy).
 * Counterpart: postfix/src/master/event_server.c. The service function is called once per
 * new connection, between TAKEN and AVAIL; it sets up the session and returns, the session
 * goes on by itself, and ends with eventServerDisconnect(). Retirement and master
 * disconnect may drain the clients through the slowExit hook instead of exiting at once.
 */
import { msg } from '../util/msg.js';
import {
  clientAccept, clientDisconnect, clientDrain, clientServerState, clientsOrBelowUseLimit, installCrashHandler,
  mailServerAbort, mailServerExit, mailServerInit, mailServerRun, mailServerStandalone, notifyAvail, notifyTaken,
  type ClientServerState, type ReadWatch, type ServerOptions, type ServiceStream, type StreamService,
} from './mail_server.js';
import { mailFlowGet } from './mail_flow.js';

export { ServiceStream, type ServerOptions } from './mail_server.js';

/** Postfix: EVENT_SERVER_FN. */
export type EventService = StreamService;

let state: ClientServerState | null = null;

/** Postfix: event_server_disconnect(): close a client connection and count it. */
export function eventServerDisconnect(stream: ServiceStream): void {
  const st = state;
  if (st === null) return msg.panic('event_server_disconnect: no server');
  if (clientDisconnect(st, stream)) st.events.wake(); // the loop condition may have changed
}

/**
 * Postfix: event_server_drain(): stop taking new clients and exit once the current ones
 * are done (see clientDrain()). Returns 0.
 */
export function eventServerDrain(): number {
  const st = state;
  if (st === null) return -1;
  clientDrain(st);
  st.events.wake();
  return 0;
}

/** Postfix: event_server_main(). Never returns: the process exits when it is done. */
export async function eventServerMain(argv: string[], service: EventService, opts: ServerOptions = {}): Promise<never> {
  installCrashHandler();
  const server = await mailServerInit('event', argv, opts);
  if (server.standalone) return mailServerStandalone(server, service);

  const st = clientServerState(server);
  state = st;

  /* Postfix: event_server_execute(). */
  const execute = async (stream: ServiceStream) => {
    notifyTaken(server);
    await service(stream, server.name, server.argv);
    if (notifyAvail(server) < 0) mailServerAbort(server, 'master disconnect');
  };

  /* Postfix: event_server_accept_{local,inet,pass}() and event_server_wakeup(). */
  const onListen = async (watch: ReadWatch) => {
    const client = await clientAccept(st, watch);
    if (client === null) return;
    if (opts.inFlowDelay && mailFlowGet(1) < 0) {
      await new Promise((resolve) => setTimeout(resolve, server.params.in_flow_delay * 1000));
    }
    await execute(client.stream);
  };

  /* Postfix: event_server_retire() and event_server_abort() with a slow exit. */
  const slowExitOr = (why: string) => {
    if (msg.verbose) msg.info(`${why} -- ${opts.slowExit ? 'draining' : 'exiting'}`);
    if (!opts.slowExit) mailServerExit(server);
    opts.slowExit(server.name, server.argv);
  };

  if (server.retireMe > 0) {
    // Retirement drains instead of exiting when the program asks for a slow exit.
    const timer = setTimeout(() => {
      st.status = null; // Postfix: event_disable_readwrite(MASTER_STATUS_FD)
      slowExitOr('time to retire');
      st.events.wake();
    }, Math.min(server.retireMe * 1000, 2 ** 31 - 1));
    timer.unref();
  }
  return mailServerRun(st, {
    more: () => clientsOrBelowUseLimit(st),
    onListen,
    onStatus: () => {
      st.status = null;
      slowExitOr('master disconnect');
    },
  });
}
