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
  acceptClient, EventWait, installCrashHandler, listenWatches, mailServerAbort, mailServerExit, mailServerInit,
  mailServerLimits, mailServerLoop, notifyAvail, notifyTaken, serviceStream, ServerTimers, standaloneStream,
  statusWatch, type MailServer, type ReadWatch, type ServerOptions, type ServiceStream,
} from './mail_server.js';
import { mailFlowGet } from './mail_flow.js';

export { ServiceStream, type ServerOptions } from './mail_server.js';

/** Postfix: EVENT_SERVER_FN. */
export type EventService = (stream: ServiceStream, serviceName: string, argv: string[]) => void | Promise<void>;

interface EventState {
  server: MailServer;
  timers: ServerTimers;
  events: EventWait;
  clientCount: number;
  useCount: number;
  closed: WeakSet<ServiceStream>;
  listen: ReadWatch[];
}

let state: EventState | null = null;

/** Postfix: event_server_disconnect(): close a client connection and count it. */
export function eventServerDisconnect(stream: ServiceStream): void {
  const st = state;
  if (st === null) return msg.panic('event_server_disconnect: no server');
  if (st.closed.has(stream)) return;
  if (msg.verbose) msg.info(`connection closed fd ${stream.fd}`);
  if (st.server.opts.preDisconnect) st.server.opts.preDisconnect(stream, st.server.name, st.server.argv);
  st.closed.add(stream);
  stream.destroy();
  st.clientCount--;
  if (st.useCount < 2 ** 31 - 1) st.useCount++;
  if (st.clientCount === 0 && mailServerLimits.max_idle > 0) st.timers.requestIdle();
  st.events.wake(); // the loop condition may have changed
}

/**
 * Postfix: event_server_drain(): stop taking new clients and exit once the current ones
 * are done. XXX Postfix forks so that master can start a fresh process at once; here the
 * process stays master's child until its last client leaves. Returns 0.
 */
export function eventServerDrain(): number {
  const st = state;
  if (st === null) return -1;
  for (const w of st.listen) w.close();
  st.listen = [];
  mailServerLimits.max_use = 1;
  st.events.wake();
  return 0;
}

/** Postfix: event_server_main(). Never returns: the process exits when it is done. */
export async function eventServerMain(argv: string[], service: EventService, opts: ServerOptions = {}): Promise<never> {
  installCrashHandler();
  const server = await mailServerInit('event', argv, opts);

  if (server.standalone) {
    const stream = standaloneStream(server);
    await service(stream, server.name, server.argv);
    await stream.flush();
    return mailServerExit(server);
  }

  const st: EventState = {
    server, timers: new ServerTimers(server), events: new EventWait(), clientCount: 0, useCount: 0,
    closed: new WeakSet(), listen: [],
  };
  state = st;

  /* Postfix: event_server_execute(). */
  const execute = async (stream: ServiceStream) => {
    notifyTaken(server);
    await service(stream, server.name, server.argv);
    if (notifyAvail(server) < 0) mailServerAbort(server, 'master disconnect');
  };

  /* Postfix: event_server_accept_{local,inet,pass}() and event_server_wakeup(). */
  const onListen = async (watch: ReadWatch) => {
    const timeLeft = st.clientCount === 0 && mailServerLimits.max_idle > 0 ? st.timers.cancelIdle() : -1;
    if (opts.preAccept) opts.preAccept(server.name, server.argv);
    const client = await acceptClient(server, watch.fd);
    if (client === null) {
      st.timers.restoreIdle(timeLeft);
      return;
    }
    if (msg.verbose) msg.info(`connection established fd ${client.fd}`);
    st.clientCount++;
    const stream = serviceStream(server, client.fd, client.attr);
    if (opts.inFlowDelay && mailFlowGet(1) < 0) {
      await new Promise((resolve) => setTimeout(resolve, server.params.in_flow_delay * 1000));
    }
    await execute(stream);
  };

  /* Postfix: event_server_retire() and event_server_abort() with a slow exit. */
  const slowExitOr = (why: string) => {
    if (msg.verbose) msg.info(`${why} -- ${opts.slowExit ? 'draining' : 'exiting'}`);
    if (!opts.slowExit) mailServerExit(server);
    opts.slowExit(server.name, server.argv);
  };

  if (mailServerLimits.max_idle > 0) st.timers.requestIdle();
  st.listen = listenWatches(server);
  let status: ReadWatch | null = statusWatch();
  if (server.retireMe > 0) {
    // Retirement drains instead of exiting when the program asks for a slow exit.
    const timer = setTimeout(() => {
      status = null; // Postfix: event_disable_readwrite(MASTER_STATUS_FD)
      slowExitOr('time to retire');
      st.events.wake();
    }, Math.min(server.retireMe * 1000, 2 ** 31 - 1));
    timer.unref();
  }
  return mailServerLoop(server, st.timers, {
    listen: () => st.listen,
    status: () => status,
    events: st.events,
    more: () => mailServerLimits.max_use === 0 || st.useCount < mailServerLimits.max_use || st.clientCount > 0,
    onListen,
    onStatus: () => {
      status = null;
      slowExitOr('master disconnect');
    },
  });
}
