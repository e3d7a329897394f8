/*
 * trigger_server - skeleton for a daemon woken by short "triggers" on a FIFO or a UNIX
 * socket (pickup, qmgr, flush's wake-ups).
 * Counterpart: postfix/src/master/trigger_server.c. The service function gets the bytes of
 * one read (at most TRIGGER_BUF_SIZE): over a FIFO what the writers wrote since the last
 * read, over a socket what one client sent before its connection is closed.
 */
import { closeSync, readSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { readWait } from '../util/poll_fd.js';
import { strerror } from '../util/strerror.js';
import {
  acceptUnlock, belowUseLimit, inFlowDelay, installCrashHandler, mailServerExit, mailServerInit, mailServerLimits,
  mailServerRun, notifyTaken, requestDone, saneAccept, serverState, type MailServer, type ReadWatch,
  type ServerOptions,
} from './mail_server.js';
import { MASTER_XPORT_NAME_FIFO, MASTER_XPORT_NAME_PASS } from './master_proto.js';
import { unixRecvFd } from '../util/unix_recv_fd.js';

export { type ServerOptions } from './mail_server.js';

/** Postfix: TRIGGER_BUF_SIZE. */
export const TRIGGER_BUF_SIZE = 1024;

/** Postfix: TRIGGER_SERVER_FN; buf holds exactly the bytes read. */
export type TriggerService = (buf: Buffer, serviceName: string, argv: string[]) => void | Promise<void>;

/** One read(); null when it failed (another process got the bytes: EAGAIN). */
function readTrigger(fd: number): Buffer | null {
  const buf = Buffer.alloc(TRIGGER_BUF_SIZE);
  try {
    return buf.subarray(0, readSync(fd, buf, 0, TRIGGER_BUF_SIZE, null));
  } catch {
    return null;
  }
}

/** Postfix: pass_accept(): the descriptor a "pass" client hands over, or null. */
async function passAccept(listenFd: number): Promise<number | null> {
  const myname = 'pass_accept';
  const acceptFd = saneAccept(listenFd);
  let recvFd: number | null = null;
  try {
    await readWait(acceptFd, 100);
    try {
      recvFd = unixRecvFd(acceptFd);
      if (recvFd === null) msg.warn(`${myname}: cannot receive file descriptor: ${strerror('EBADF')}`);
    } catch (err) {
      msg.warn(`${myname}: cannot receive file descriptor: ${strerror(err)}`);
    }
  } catch (err) {
    msg.warn(`${myname}: timeout receiving file descriptor: ${strerror(err)}`);
  }
  closeSync(acceptFd);
  return recvFd;
}

/** Postfix: trigger_server_main(). Never returns: the process exits when it is done. */
export async function triggerServerMain(argv: string[], service: TriggerService, opts: ServerOptions = {}): Promise<never> {
  installCrashHandler();
  const server: MailServer = await mailServerInit('trigger', argv, opts);

  // One-shot mode: the trigger comes on standard input.
  if (server.standalone) {
    const buf = Buffer.alloc(TRIGGER_BUF_SIZE);
    let len: number;
    try {
      len = readSync(0, buf, 0, TRIGGER_BUF_SIZE, null);
    } catch (err) {
      return msg.fatal(`read: ${strerror(err)}`);
    }
    if (len <= 0) msg.fatal(`read: ${strerror(0)}`);
    await service(buf.subarray(0, len), server.name, server.argv);
    return mailServerExit(server);
  }

  const st = serverState(server);
  const { timers } = st;

  /* Postfix: trigger_server_wakeup(). */
  const wakeup = async (fd: number) => {
    notifyTaken(server);
    await inFlowDelay(server);
    const buf = readTrigger(fd);
    if (buf !== null) await service(buf, server.name, server.argv);
    requestDone(st);
  };

  /* Postfix: trigger_server_accept_fifo(). */
  const acceptFifo = async (watch: ReadWatch) => {
    acceptUnlock(server);
    if (msg.verbose) msg.info('trigger_server_accept_fifo: trigger arrived');
    if (opts.preAccept) opts.preAccept(server.name, server.argv);
    await wakeup(watch.fd);
  };

  /* Postfix: trigger_server_accept_local() and trigger_server_accept_pass(). */
  const acceptSocket = async (watch: ReadWatch) => {
    const pass = server.transport === MASTER_XPORT_NAME_PASS;
    if (msg.verbose) msg.info(`trigger_server_accept_${pass ? 'pass' : 'local'}: trigger arrived`);
    // XXX As in Postfix, "no idle timer" leaves 0 seconds, which a failed accept restores.
    const timeLeft = mailServerLimits.max_idle > 0 ? timers.cancelIdle() : 0;
    if (opts.preAccept) opts.preAccept(server.name, server.argv);
    let fd: number | null = null;
    try {
      fd = pass ? await passAccept(watch.fd) : saneAccept(watch.fd);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') msg.error(`accept connection: ${strerror(err)}`);
    }
    acceptUnlock(server);
    if (fd === null) {
      timers.restoreIdle(timeLeft);
      return;
    }
    // Do not get stuck on a client that connects and sends nothing.
    let ready = true;
    try {
      await readWait(fd, 10);
    } catch {
      ready = false;
    }
    if (ready) await wakeup(fd);
    else timers.restoreIdle(timeLeft);
    closeSync(fd);
  };

  return mailServerRun(st, {
    more: () => belowUseLimit(st),
    onListen: server.transport === MASTER_XPORT_NAME_FIFO ? acceptFifo : acceptSocket,
  });
}
