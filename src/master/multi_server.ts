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
  clientAccept, clientDisconnect, clientDrain, clientServerState, clientsOrBelowUseLimit, installCrashHandler,
  mailServerAbort, mailServerInit, mailServerRun, mailServerStandalone, notifyAvail, notifyTaken,
  type ClientServerState, type ReadWatch, type ServerOptions, type ServiceStream, type StreamService,
} from './mail_server.js';
import { mailFlowGet } from './mail_flow.js';

export { ServiceStream, type ServerOptions } from './mail_server.js';

/** Postfix: MULTI_SERVER_FN. */
export type MultiService = StreamService;

interface MultiState extends ClientServerState {
  /** Clients with input or a hang-up, served in turn. */
  ready: ServiceStream[];
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
  clientDisconnect(st, stream);
}

/**
 * Postfix: multi_server_drain(): stop taking new clients and exit once the current ones
 * are done (see clientDrain()). Returns 0.
 */
export function multiServerDrain(): number {
  const st = state;
  if (st === null) return -1;
  clientDrain(st);
  return 0;
}

/** Postfix: multi_server_main(). Never returns: the process exits when it is done. */
export async function multiServerMain(argv: string[], service: MultiService, opts: ServerOptions = {}): Promise<never> {
  installCrashHandler();
  const server = await mailServerInit('multi', argv, opts);
  if (server.standalone) return mailServerStandalone(server, service);

  const st: MultiState = { ...clientServerState(server), ready: [] };
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
    const client = await clientAccept(st, watch);
    if (client === null) return;
    const { stream, attr } = client;
    if (opts.inFlowDelay && mailFlowGet(1) < 0) {
      setTimeout(() => watchClient(st, stream), server.params.in_flow_delay * 1000);
    } else {
      watchClient(st, stream);
    }
    if (opts.postAccept) opts.postAccept(stream, server.name, server.argv, attr);
    else if (attr !== null) msg.warn("service ignores 'pass' connection attributes");
  };

  return mailServerRun(st, { more: () => clientsOrBelowUseLimit(st), onListen, onWake });
}
