/*
 * master_wakeup - wake up services periodically (master.cf wakeup field): send "W" to
 * the service's own endpoint, as any client would; the knock makes master start a child
 * if none is running. "N?" services get their timer only once they have been used.
 * Counterpart: postfix/src/master/master_wakeup.c with the trigger clients it calls
 * (unix_trigger, inet_trigger, fifo_trigger, pass_trigger), here with the errno kept for
 * master's warning. The fifo is opened as mail_owner, synchronously, so that no other
 * event runs with the changed effective ids.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, writeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { setEugid } from '../util/set_eugid.js';
import { setUgid } from '../util/set_ugid.js';
import { timedConnect } from '../util/timed_connect.js';
import { unixSendFd } from '../util/unix_send_fd.js';
import { O_CLOEXEC, O_NONBLOCK, pipe2 } from '../util/sys_process.js';
import { fdOf } from '../util/sys_libc.js';
import { TRIGGER_REQ_WAKEUP } from '../global/mail_proto.js';
import {
  MASTER_FLAG_CONDWAKE, MASTER_FLAG_THROTTLE, MASTER_SERV_TYPE_FIFO, MASTER_SERV_TYPE_INET, MASTER_SERV_TYPE_PASS,
  MASTER_SERV_TYPE_UNIX, MASTER_SERV_TYPE_UXDG, type MasterServ,
} from './master_ent.js';
import { vars } from './master_vars.js';
import { masterTimer } from './master_timer.js';

/** Triggers must not block master; Postfix: BRIEFLY. */
const BRIEFLY = 1;

type TriggerError = NodeJS.ErrnoException | { code: string };

/** Hold a trigger connection until the server hangs up, or for timeout + 100 seconds. */
function holdUntilClosed(sock: Socket, myname: string, service: string, cleanup?: () => void): void {
  const timer = setTimeout(() => {
    msg.warn(`${myname}: read timeout for service ${service}`);
    finish();
  }, (BRIEFLY + 100) * 1000);
  const finish = () => {
    clearTimeout(timer);
    sock.destroy();
    cleanup?.();
  };
  sock.once('data', finish);
  sock.once('end', finish);
  sock.once('error', finish);
}

/** Host and port of an inet service name: "[addr]:port", "host:port" or a bare port. */
function inetEndpoint(name: string): { host: string; port: number } {
  const m = /^\[(.*)\]:(\d+)$/.exec(name) ?? /^(.*):(\d+)$/.exec(name);
  if (m !== null) return { host: m[1]!, port: Number(m[2]) };
  return { host: 'localhost', port: Number(name) };
}

/** Postfix: unix_trigger(), inet_trigger(), pass_trigger(). Resolves null or the error. */
async function streamWakeup(serv: MasterServ, request: Buffer): Promise<TriggerError | null> {
  let sock: Socket;
  try {
    if (serv.type === MASTER_SERV_TYPE_INET) {
      const { host, port } = inetEndpoint(serv.name);
      sock = await timedConnect(connect({ host, port }), BRIEFLY);
    } else {
      sock = await timedConnect(connect({ path: serv.name }), BRIEFLY);
    }
  } catch (err) {
    return err as TriggerError;
  }
  if (serv.type === MASTER_SERV_TYPE_PASS) {
    // The request goes through a pipe whose read end the server receives.
    let pipe: [number, number];
    try {
      pipe = pipe2(O_CLOEXEC | O_NONBLOCK);
    } catch (err) {
      return msg.fatal(`pass_trigger: pipe: ${strerror(err)}`);
    }
    const closePipe = () => {
      for (const fd of pipe) closeSync(fd);
    };
    try {
      unixSendFd(fdOf(sock), pipe[0]);
    } catch (err) {
      msg.fatal(`pass_trigger: send file descriptor: ${strerror(err)}`);
    }
    try {
      writeSync(pipe[1], request);
    } catch (err) {
      if (msg.verbose) msg.warn(`pass_trigger: write to ${serv.name}: ${strerror(err)}`);
    }
    holdUntilClosed(sock, 'pass_trigger_event', serv.name, closePipe);
    return null;
  }
  holdUntilClosed(sock, serv.type === MASTER_SERV_TYPE_INET ? 'inet_trigger_event' : 'unix_trigger_event', serv.name);
  sock.write(request);
  return null;
}

/** Postfix: safe_open() of an existing file, as fifo_trigger() uses it. */
function openFifoSafely(path: string): number {
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const st = fstatSync(fd);
  const lst = lstatSync(path);
  if (st.nlink !== 1 || st.isDirectory() || lst.isSymbolicLink() || st.dev !== lst.dev || st.ino !== lst.ino) {
    closeSync(fd);
    throw Object.assign(new Error('unsafe file'), { code: 'EPERM' });
  }
  return fd;
}

/** Postfix: fifo_trigger(), as the mail_owner user. */
function fifoWakeup(serv: MasterServ): TriggerError | null {
  let fd: number;
  setEugid(vars.ownerUid, vars.ownerGid);
  try {
    fd = openFifoSafely(serv.name);
  } catch (err) {
    return err as TriggerError;
  } finally {
    setUgid(process.getuid!(), process.getgid!());
  }
  try {
    writeSync(fd, TRIGGER_REQ_WAKEUP);
  } catch (err) {
    if (msg.verbose) msg.warn(`fifo_trigger: write ${serv.name}: ${strerror(err)}`);
  }
  closeSync(fd);
  return null;
}

/** Postfix: master_wakeup_timer_event(). */
async function masterWakeupTimerEvent(serv: MasterServ): Promise<void> {
  const myname = 'master_wakeup_timer_event';
  serv.wakeupTimer = null;
  // The wake-up may have been turned off since.
  if (serv.wakeupTime === 0) return;
  // Schedule the next one first: the trigger below may take a while.
  serv.wakeupTimer = masterTimer(serv.wakeupTime, () => void masterWakeupTimerEvent(serv));
  if ((serv.flags & MASTER_FLAG_THROTTLE) !== 0) return;
  if (msg.verbose) msg.info(`${myname}: service ${serv.name}`);
  const request = Buffer.from(`${TRIGGER_REQ_WAKEUP}\0`, 'latin1');
  let error: TriggerError | null;
  switch (serv.type) {
    case MASTER_SERV_TYPE_INET:
    case MASTER_SERV_TYPE_UNIX:
    case MASTER_SERV_TYPE_PASS:
      error = await streamWakeup(serv, request);
      break;
    case MASTER_SERV_TYPE_UXDG:
      error = { code: 'EOPNOTSUPP' };
      break;
    case MASTER_SERV_TYPE_FIFO:
      error = fifoWakeup(serv);
      break;
    default:
      msg.panic(`${myname}: unknown service type: ${serv.type}`);
  }
  if (error !== null) msg.warn(`${myname}: service ${serv.extName}(${serv.name}): ${strerror(error)}`);
}

/** Postfix: master_wakeup_init(). The first wake-up is immediate. */
export function masterWakeupInit(serv: MasterServ): void {
  const myname = 'master_wakeup_init';
  if (serv.wakeupTime === 0 || serv.flags & MASTER_FLAG_CONDWAKE) return;
  if (msg.verbose) msg.info(`${myname}: service ${serv.name} time ${serv.wakeupTime}`);
  void masterWakeupTimerEvent(serv);
}

/** Postfix: master_wakeup_cleanup(). */
export function masterWakeupCleanup(serv: MasterServ): void {
  const myname = 'master_wakeup_cleanup';
  if (msg.verbose) msg.info(`${myname}: service ${serv.name}`);
  serv.wakeupTimer?.cancel();
  serv.wakeupTimer = null;
}
