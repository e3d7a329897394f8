/*
 * multi_server - skeleton for a daemon that keeps many client connections open and serves
 * one request at a time from whichever client has one (trivial-rewrite, proxymap, anvil,
 * scache, verify, tlsmgr).
 * Counterpart: postfix/src/master/multi_server.c. The service function is called when a
 * client has input, reads one request and answers it; a client that hangs up is closed
 * here. Requests are served one after the other, never interleaved, as in Postfix.
 */
import { msg } from '../util/msg.js';
import { VSTREAM_EOF } from '../util/vstream_async.js';
import {
  acceptClient, EventWait, installCrashHandler, listenWatches, mailServerAbort, mailServerExit, mailServerInit,
  mailServerLimits, mailServerLoop, notifyAvail, notifyTaken, serviceStream, ServerTimers, standaloneStream,
  statusWatch, type MailServer, type ReadWatch, type ServerOptions, type ServiceStream,
} from './mail_server.js';
import { mailFlowGet } from './mail_flow.js';

export { ServiceStream, type ServerOptions } from './mail_server.js';

/** Postfix: MULTI_SERVER_FN. */
export type MultiService = (stream: ServiceStream, serviceName: string, argv: string[]) => void | Promise<void>;

interface MultiState {
  server: MailServer;
  timers: ServerTimers;
  events: EventWait;
  clientCount: number;
  useCount: number;
  ready: ServiceStream[];
  closed: WeakSet<ServiceStream>;
  listen: ReadWatch[];
}

let state: MultiState | null = null;

/** Wait, without a time limit, until the client sends something or hangs up. */
function watchClient(st: MultiState, stream: ServiceStream): void {
  void (async () => {
    const saved = stream.timeout;
    stream.timeout = 0;
    const ch = await stream.getc();
    stream.timeout = saved;
    if (ch !== VSTREAM_EOF) stream.ungetc(ch);
    if (st.closed.has(stream)) return;
    st.ready.push(stream);
    st.events.wake();
  })();
}

/** Postfix: multi_server_disconnect(). The service function may call it too. */
export function multiServerDisconnect(stream: ServiceStream): void {
  const st = state;
  if (st === null) return msg.panic('multi_server_disconnect: no server');
  if (st.closed.has(stream)) return;
  if (msg.verbose) msg.info(`connection closed fd ${stream.fd}`);
  if (st.server.opts.preDisconnect) st.server.opts.preDisconnect(stream, st.server.name, st.server.argv);
  st.closed.add(stream);
  stream.destroy();
  st.clientCount--;
  if (st.useCount < 2 ** 31 - 1) st.useCount++;
  if (st.clientCount === 0 && mailServerLimits.max_idle > 0) st.timers.requestIdle();
}

/**
 * Postfix: multi_server_drain(): stop taking new clients and exit once the current ones
 * are done. XXX Postfix forks so that master can start a fresh process at once; here the
 * process stays master's child until its last client leaves. Returns 0.
 */
export function multiServerDrain(): number {
  const st = state;
  if (st === null) return -1;
  for (const w of st.listen) w.close();
  st.listen = [];
  mailServerLimits.max_use = 1;
  return 0;
}

/** Postfix: multi_server_main(). Never returns: the process exits when it is done. */
export async function multiServerMain(argv: string[], service: MultiService, opts: ServerOptions = {}): Promise<never> {
  installCrashHandler();
  const server = await mailServerInit('multi', argv, opts);

  if (server.standalone) {
    const stream = standaloneStream(server);
    await service(stream, server.name, server.argv);
    await stream.flush();
    return mailServerExit(server);
  }

  const st: MultiState = {
    server, timers: new ServerTimers(server), events: new EventWait(), clientCount: 0, useCount: 0, ready: [],
    closed: new WeakSet(), listen: [],
  };
  state = st;

  /* Postfix: multi_server_execute(), for each client with input or a hang-up. */
  const onWake = async () => {
    for (let stream = st.ready.shift(); stream !== undefined; stream = st.ready.shift()) {
      if (st.closed.has(stream)) continue;
      if (stream.buffered > 0) {
        notifyTaken(server);
        await service(stream, server.name, server.argv);
        if (notifyAvail(server) < 0) mailServerAbort(server, 'master disconnect');
        if (!st.closed.has(stream)) watchClient(st, stream);
      } else {
        multiServerDisconnect(stream);
      }
    }
  };

  /* Postfix: multi_server_accept_{local,inet,pass}() and multi_server_wakeup(). */
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
      setTimeout(() => watchClient(st, stream), server.params.in_flow_delay * 1000);
    } else {
      watchClient(st, stream);
    }
    if (opts.postAccept) opts.postAccept(stream, server.name, server.argv, client.attr);
    else if (client.attr !== null) msg.warn("service ignores 'pass' connection attributes");
  };

  if (mailServerLimits.max_idle > 0) st.timers.requestIdle();
  st.listen = listenWatches(server);
  const status = statusWatch();
  return mailServerLoop(server, st.timers, {
    listen: () => st.listen,
    status: () => status,
    events: st.events,
    more: () => mailServerLimits.max_use === 0 || st.useCount < mailServerLimits.max_use || st.clientCount > 0,
    onListen,
    onWake,
  });
}
