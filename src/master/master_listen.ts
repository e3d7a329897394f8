/*
 * master_listen - create and remove the listen endpoints of a service: UNIX-domain stream
 * and datagram sockets, fifos and pass sockets (created as the mail_owner user, so owned
 * by it), and one TCP socket per inet address. All non-blocking and close-on-exec.
 * Counterpart: postfix/src/master/master_listen.c.
 */
import { closeSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { NON_BLOCKING } from '../util/poll_fd.js';
import { setEugid } from '../util/set_eugid.js';
import { setUgid } from '../util/set_ugid.js';
import { unixListen } from '../util/unix_listen.js';
import { unixDgramListen } from '../util/unix_dgram_listen.js';
import { fifoListen } from '../util/fifo_listen.js';
import { inetListen, inetServicePort } from '../util/inet_listen.js';
import { inetAddrText } from '../global/own_inet_addr.js';
import {
  MASTER_SERV_TYPE_FIFO, MASTER_SERV_TYPE_INET, MASTER_SERV_TYPE_PASS, MASTER_SERV_TYPE_UNIX, MASTER_SERV_TYPE_UXDG,
  type MasterServ,
} from './master_ent.js';
import { vars } from './master_vars.js';

/** Run fn as the mail_owner user, as Postfix's master does for local endpoints. */
function asOwner<T>(fn: () => T): T {
  setEugid(vars.ownerUid, vars.ownerGid);
  try {
    return fn();
  } finally {
    setUgid(process.getuid!(), process.getgid!());
  }
}

/** Postfix: master_listen_init(). */
export function masterListenInit(serv: MasterServ): void {
  const myname = 'master_listen_init';
  const backlog = serv.maxProc > vars.procLimit ? serv.maxProc : vars.procLimit;
  switch (serv.type) {
    case MASTER_SERV_TYPE_UNIX:
    case MASTER_SERV_TYPE_PASS:
      serv.listenFd[0] = asOwner(() => unixListen(serv.name, backlog, NON_BLOCKING));
      break;
    case MASTER_SERV_TYPE_UXDG:
      serv.listenFd[0] = asOwner(() => unixDgramListen(serv.name, NON_BLOCKING));
      break;
    case MASTER_SERV_TYPE_FIFO:
      serv.listenFd[0] = asOwner(() => fifoListen(serv.name, 0o622, NON_BLOCKING));
      break;
    case MASTER_SERV_TYPE_INET:
      serv.inetAddrs.forEach((addr, n) => {
        const endPoint = `${inetAddrText(addr)}:${serv.inetPort}`;
        const port = inetServicePort(serv.inetPort);
        if (port === undefined) msg.fatal(`${endPoint}: Servname not supported for ai_socktype`);
        serv.listenFd[n] = inetListen(addr.family, addr.bytes, port, backlog, NON_BLOCKING);
      });
      break;
    default:
      msg.panic(`${myname}: unknown service type: ${serv.type}`);
  }
}

/** Postfix: master_listen_cleanup(). Children keep their copies open until they exit. */
export function masterListenCleanup(serv: MasterServ): void {
  const myname = 'master_listen_cleanup';
  for (let n = 0; n < serv.listenFdCount; n++) {
    try {
      closeSync(serv.listenFd[n]!);
    } catch (err) {
      msg.warn(`${myname}: close listener socket ${serv.listenFd[n]}: ${strerror(err)}`);
    }
    serv.listenFd[n] = -1;
  }
}
