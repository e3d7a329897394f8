/*
 * mail_server - what the five server skeletons share: the master.cf command line, main.cf,
 * the log identity, the descriptors from master, the status channel, the accept lock,
 * timers, the watchdog, privileges, and the wait for the next event.
 * Counterpart: postfix/src/master/mail_server.h and the common part of single_server.c,
 * multi_server.c, event_server.c, trigger_server.c and dgram_server.c. Events are waited
 * for with koffi poll handles on duplicates of master's descriptors; connections are
 * accepted with accept4() here, so that master sees this process busy only when it is.
 */
import koffi from 'koffi';
import { closeSync, constants as fsConstants } from 'node:fs';
import { Socket } from 'node:net';
import { isatty } from 'node:tty';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { myflock, myflockAsync, MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OP_NONE, MYFLOCK_STYLE_FLOCK } from '../util/myflock.js';
import { readWait } from '../util/poll_fd.js';
import { safeOpen } from '../util/safe_open.js';
import { strerror } from '../util/strerror.js';
import { lastErrno, libc, sysError, F_GETFL, F_SETFL, O_NONBLOCK, SOCK_CLOEXEC } from '../util/sys_libc.js';
import { unixRecvFd } from '../util/unix_recv_fd.js';
import { AsyncVStream } from '../util/vstream_async.js';
import { ATTR_FLAG_NONE, recvAttrHash } from '../util/attr.js';
import { attrScan0 } from '../util/attr_scan0.js';
import { chrootUid } from '../util/chroot_uid.js';
import { CONF_ENV_DEBUG, CONF_ENV_VERB, loadMainCf, mailConfRead, mailConfUpdate, splitNameval } from '../global/mail_conf.js';
import { type ParamName } from '../global/mail_params.js';
import { mailParamsInit, type MailParams } from '../global/mail_params_init.js';
import { mailTask } from '../global/mail_task.js';
import { MAILLOG_CLIENT_FLAG_NONE, maillogClientInit } from '../global/maillog_client.js';
import { timedIpcSetup } from '../global/mail_connect.js';
import { mailFlowGet } from './mail_flow.js';
import {
  MASTER_FLOW_READ, MASTER_FLOW_WRITE, MASTER_GEN_NAME, MASTER_LISTEN_FD, MASTER_STAT_AVAIL, MASTER_STAT_TAKEN,
  MASTER_STATUS_FD, MASTER_XPORT_NAME_FIFO, MASTER_XPORT_NAME_INET, MASTER_XPORT_NAME_PASS,
  MASTER_XPORT_NAME_UNIX, MASTER_XPORT_NAME_UXDG, masterNotify,
} from './master_proto.js';

/** A client connection as a service function sees it; attr holds "pass" attributes. */
export class ServiceStream extends AsyncVStream {
  attr: Map<string, string> | null = null;
  /** The descriptor, for diagnostics ("connection closed fd N"). */
  fd = -1;
}

export type ServerInitFn = (service: string, argv: string[]) => void | Promise<void>;

/** The hooks and settings a daemon gives its skeleton (Postfix: the MAIL_SERVER_* list). */
export interface ServerOptions {
  /** main.cf parameters of the program, checked (range, syntax) before pre-init. */
  params?: readonly ParamName[];
  /** Before the chroot and privilege drop; the current directory is queue_directory. */
  preInit?: ServerInitFn;
  /** After the chroot and privilege drop. */
  postInit?: ServerInitFn;
  /** Before each wait for events; returns the seconds to wait at most, or -1. */
  loop?: (service: string, argv: string[]) => number | Promise<number>;
  /** Just before a normal exit. */
  exit?: (service: string, argv: string[]) => void;
  /** Before each accept(). */
  preAccept?: (service: string, argv: string[]) => void;
  /** multi/event servers: after a connection was accepted. */
  postAccept?: (stream: ServiceStream, service: string, argv: string[], attr: Map<string, string> | null) => void;
  /** multi/event servers: before a connection is closed. */
  preDisconnect?: (stream: ServiceStream, service: string, argv: string[]) => void;
  /** event servers: called instead of exiting at retirement or master disconnect. */
  slowExit?: (service: string, argv: string[]) => void;
  /** Postfix: MAIL_SERVER_SOLITARY, the service must run with process limit 1. */
  solitary?: boolean;
  /** Postfix: MAIL_SERVER_UNLIMITED, the service must run with process limit 0. */
  unlimited?: boolean;
  /** Postfix: MAIL_SERVER_PRIVILEGED, the service must not run with unpriv = y. */
  privileged?: boolean;
  /** Postfix: MAIL_SERVER_IN_FLOW_DELAY, take a flow-control token per client. */
  inFlowDelay?: boolean;
  /** Postfix: MAIL_SERVER_WATCHDOG (trigger, event, dgram servers; default 1000 s). */
  watchdog?: number;
  /** Postfix: MAIL_SERVER_RETIRE_ME (single and event servers). */
  retireMe?: boolean;
}

export type ServerKind = 'single' | 'multi' | 'event' | 'trigger' | 'dgram';

const OPTSTRINGS: Record<ServerKind, string> = {
  single: 'cdDi:lm:n:o:r:s:St:uvVz',
  multi: 'cdDi:lm:n:o:s:St:uvVz',
  event: 'cdDi:lm:n:o:r:s:St:uvVz',
  trigger: 'cdDi:lm:n:o:s:St:uvVz',
  dgram: 'cdDi:lm:n:o:s:t:uvVz',
};

const TRANSPORTS: Record<ServerKind, readonly string[]> = {
  single: [MASTER_XPORT_NAME_INET, MASTER_XPORT_NAME_UNIX, MASTER_XPORT_NAME_PASS],
  multi: [MASTER_XPORT_NAME_INET, MASTER_XPORT_NAME_UNIX, MASTER_XPORT_NAME_PASS],
  event: [MASTER_XPORT_NAME_INET, MASTER_XPORT_NAME_UNIX, MASTER_XPORT_NAME_PASS],
  trigger: [MASTER_XPORT_NAME_UNIX, MASTER_XPORT_NAME_FIFO, MASTER_XPORT_NAME_PASS],
  dgram: [MASTER_XPORT_NAME_UXDG],
};

/* Multi and event servers cannot take turns on the listen socket: they also watch clients. */
const USES_ACCEPT_LOCK: Record<ServerKind, boolean> = { single: true, multi: false, event: false, trigger: true, dgram: true };

/** The default watchdog of the skeletons that do not use daemon_timeout. */
const DEFAULT_WATCHDOG = 1000;

/** Postfix: DEF_PID_DIR, relative to the queue directory that master runs in. */
const DEF_PID_DIR = 'pid';

/** C atoi(): the leading decimal number, 0 when there is none. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(text);
  return m === null ? 0 : Number(m[1]) | 0;
}

/** What the skeleton knows after start-up. */
export interface MailServer {
  kind: ServerKind;
  /** The service name: -n, else the program name. */
  name: string;
  /** The arguments after the options, for the service function. */
  argv: string[];
  transport: string | undefined;
  socketCount: number;
  /** -S: serve standard input and output once. */
  standalone: boolean;
  generation: number;
  params: MailParams;
  lockFd: number | null;
  retireMe: number;
  watchdogTime: number;
  opts: ServerOptions;
}

/**
 * The limits a daemon may change in its hooks, as qmgr sets var_idle_limit and
 * var_use_limit to 0 (Postfix: var_idle_limit, var_use_limit).
 */
export const mailServerLimits = { max_idle: 0, max_use: 0 };

/* ------------------------------------------------------------------ start-up */

/**
 * Postfix: the first part of xxx_server_main(): everything up to and including the
 * post-jail initialization. Dies with Postfix's diagnostics on a bad command line or
 * environment.
 */
export async function mailServerInit(kind: ServerKind, argv: string[], opts: ServerOptions): Promise<MailServer> {
  if (process.env[CONF_ENV_VERB]) msg.verbose = 1;
  let debugMe = process.env[CONF_ENV_DEBUG] !== undefined;
  const procname = (argv[0] ?? kind).slice((argv[0] ?? kind).lastIndexOf('/') + 1);
  mailConfUpdate('process_name', procname);

  // Open the log before the optional chroot jail, so that it still works in there.
  maillogClientInit(mailTask(procname), MAILLOG_CLIENT_FLAG_NONE);
  if (msg.verbose) msg.info('daemon started');
  mailConfRead();

  let rootDir = false;
  let userName = false;
  let daemonMode = true;
  let serviceName = procname;
  let socketCount = 1;
  let standalone = false;
  let alone = false;
  let zerolimit = false;
  let transport: string | undefined;
  let retireFromFlags = 0;
  let vstreamNeeded = 0;
  // No one would see getopt's complaints: master started us.
  const getopt = new Getopt(argv, OPTSTRINGS[kind]);
  getopt.opterr = false;
  for (let c = getopt.next(); c !== GETOPT_END; c = getopt.next()) {
    const optarg = getopt.optarg ?? '';
    switch (c) {
      case 'c': rootDir = true; break;
      case 'd': daemonMode = false; break;
      case 'D': debugMe = true; break;
      case 'i': mailConfUpdate('max_idle', optarg); break;
      case 'l': alone = true; break;
      case 'm': mailConfUpdate('max_use', optarg); break;
      case 'n': serviceName = optarg; break;
      case 'o': {
        const nv = splitNameval(optarg);
        if (typeof nv === 'string') msg.fatal(`invalid "-o ${optarg}" option value: ${nv}`);
        mailConfUpdate(nv[0], nv[1]);
        break;
      }
      case 'r':
        if ((retireFromFlags = atoi(optarg)) <= 0) msg.fatal(`invalid retirement time: ${optarg}`);
        break;
      case 's':
        if ((socketCount = atoi(optarg)) <= 0) msg.fatal(`invalid socket_count: ${optarg}`);
        break;
      case 'S': standalone = true; break;
      case 't': transport = optarg; break;
      case 'u': userName = true; break;
      case 'v': msg.verbose++; break;
      case 'V':
        if (++vstreamNeeded === 1) msgVstreamInit(mailTask(procname), 2);
        break;
      case 'z': zerolimit = true; break;
      default:
        msg.fatal(`invalid option: ${getopt.optopt}`);
    }
  }
  mailConfUpdate('service_name', serviceName);

  const params = mailParamsInit();
  const limits = loadMainCf(['max_idle', 'max_use']);
  mailServerLimits.max_idle = limits.max_idle;
  mailServerLimits.max_use = limits.max_use;
  maillogClientInit(mailTask(procname), MAILLOG_CLIENT_FLAG_NONE);
  // Postfix's -V output keeps a pointer to mail_task()'s buffer: it shows the new name.
  if (vstreamNeeded > 0) msgVstreamInit(mailTask(procname), 2);

  // Unless it talks to standard input, a daemon must not have a terminal there.
  if (daemonMode && !standalone && isatty(0)) {
    msgVstreamInit(procname, 2);
    msg.fatal('do not run this command by hand');
  }

  if (opts.params !== undefined && opts.params.length > 0) loadMainCf(opts.params);
  if (opts.solitary && !standalone && !alone) msg.fatal(`service ${serviceName} requires a process limit of 1`);
  if (opts.unlimited && !standalone && !zerolimit) msg.fatal(`service ${serviceName} requires a process limit of 0`);
  if (opts.privileged && userName) msg.fatal(`service ${serviceName} requires privileged operation`);
  let retireMe = 0;
  if (opts.retireMe && (kind === 'single' || kind === 'event')) {
    const { max_idle: idle, max_use: use } = mailServerLimits;
    if (retireFromFlags > 0) retireMe = retireFromFlags;
    else if (idle === 0 || use === 0 || idle > Math.floor(18000 / use)) retireMe = 18000;
    else retireMe = idle * use;
  }

  if (!standalone) {
    if (transport === undefined) msg.fatal('no transport type specified');
    if (!TRANSPORTS[kind].includes(transport.toLowerCase())) msg.fatal(`unsupported transport type: ${transport}`);
    transport = transport.toLowerCase();
  }

  let generation = 0;
  const genText = process.env[MASTER_GEN_NAME];
  if (genText !== undefined) {
    if (!/^[0-9]+$/.test(genText)) msg.fatal(`bad generation: ${genText}`);
    // Postfix: OCTAL_TO_UNSIGNED(); digits 8 and 9 count as octal digits would.
    generation = [...genText].reduce((n, d) => ((n << 3) + (d.charCodeAt(0) - 48)) >>> 0, 0);
    if (msg.verbose) msg.info(`process generation: ${genText} (${generation.toString(8)})`);
  }
  // XXX debug_process() (debugger_command) is not supported; -D and MAIL_DEBUG are accepted.
  void debugMe;

  // Several processes on one listen socket take turns through a lock file.
  let lockFd: number | null = null;
  if (!standalone && !alone && USES_ACCEPT_LOCK[kind]) {
    const lockPath = `${DEF_PID_DIR}/${transport}.${serviceName}`;
    const opened = safeOpen(lockPath, fsConstants.O_CREAT | fsConstants.O_RDWR, 0o600);
    if (opened.fd === null) msg.fatal(`open lock file ${lockPath}: ${opened.why}`);
    lockFd = opened.fd;
  }

  const server: MailServer = {
    kind, name: serviceName, argv: getopt.rest(), transport, socketCount, standalone, generation, params,
    lockFd, retireMe, opts,
    watchdogTime: kind === 'single' || kind === 'multi' ? params.daemon_timeout : opts.watchdog ?? DEFAULT_WATCHDOG,
  };

  try {
    process.chdir(params.queue_directory);
  } catch (err) {
    msg.fatal(`chdir("${params.queue_directory}"): ${strerror(err)}`);
  }
  if (opts.preInit) await opts.preInit(server.name, server.argv);
  chrootUid(rootDir ? params.queue_directory : null, userName ? params.mail_owner : null);
  if (opts.postInit) await opts.postInit(server.name, server.argv);
  return server;
}

/* --------------------------------------------------------- process control */

/** Postfix: xxx_server_exit(). Runs the exit hook, then exits with status 0. */
export function mailServerExit(server: MailServer): never {
  if (server.opts.exit) server.opts.exit(server.name, server.argv);
  process.exit(0);
}

/** Postfix: the "master disconnect" and "idle timeout" handlers. */
export function mailServerAbort(server: MailServer, why: string): never {
  if (msg.verbose) msg.info(`${why} -- exiting`);
  return mailServerExit(server);
}

/** Tell master whether this process can take a client; -1 when master is gone. */
export function mailServerNotify(server: MailServer, avail: number): number {
  return masterNotify(process.pid, server.generation, avail);
}

export const notifyTaken = (server: MailServer) => mailServerNotify(server, MASTER_STAT_TAKEN);
export const notifyAvail = (server: MailServer) => mailServerNotify(server, MASTER_STAT_AVAIL);

/**
 * Report a stray exception as a fatal error, as a C daemon would die. Installed by every
 * skeleton main: nothing after a thrown error can be trusted to leave the queue intact.
 */
export function installCrashHandler(): void {
  const die = (err: unknown) => {
    const text = err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 2).join(' ').replace(/\s+/g, ' ') : String(err);
    msg.fatal(text);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
}

/** Postfix: mail_flow_get(1) with the in_flow_delay pause when no token is there. */
export async function inFlowDelay(server: MailServer): Promise<void> {
  if (server.opts.inFlowDelay && mailFlowGet(1) < 0) await sleep(server.params.in_flow_delay * 1000);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/* ------------------------------------------------------------------ watchdog */

/**
 * Postfix: watchdog(3). Dies with "watchdog timeout" when handling an event (a turn of
 * the event loop, less the wait) takes longer than the limit. A JavaScript timer catches a stuck await; an alarm() a little
 * later catches a stuck event loop, which no timer can (the signal kills the process).
 */
export class Watchdog {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly seconds: number) {
    if (msg.verbose > 1) msg.info(`watchdog_create: ${seconds}`);
  }

  start(): void {
    this.stop();
    if (this.seconds <= 0) return;
    this.timer = setTimeout(() => msg.fatal('watchdog timeout'), Math.min(this.seconds * 1000, 2 ** 31 - 1));
    libc().alarm(this.seconds + 5);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    libc().alarm(0);
  }
}

/* ---------------------------------------------------------------- descriptors */

const F_DUPFD_CLOEXEC = 1030;

type PollHandle = ReturnType<typeof koffi.node.poll>;

/**
 * A read watch on one of master's descriptors: a poll handle on a duplicate, started only
 * while the skeleton waits (a level-triggered handle would otherwise fire all the time).
 */
export class ReadWatch {
  private readonly handle: PollHandle;
  private readonly dup: number;

  constructor(readonly fd: number) {
    const myname = 'event_enable_read';
    const c = libc();
    const flags = c.fcntlInt(fd, F_GETFL, 0);
    const dup = flags < 0 ? -1 : c.fcntlInt(fd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) msg.fatal(`${myname}: epoll_ctl EPOLL_CTL_ADD: ${strerror(sysError('fcntl', lastErrno()))}`);
    this.dup = dup;
    let handle: PollHandle;
    try {
      handle = koffi.node.poll(dup, { readable: true }, () => undefined);
    } catch (err) {
      c.close(dup);
      const code = /\b(E[A-Z]+)\b/.exec(String((err as Error).message))?.[1] ?? 'EPERM';
      msg.fatal(`${myname}: epoll_ctl EPOLL_CTL_ADD: ${strerror(code)}`);
    }
    this.handle = handle;
    this.handle.stop();
    // libuv made the shared descriptor non-blocking; put back what master gave us.
    c.fcntlInt(fd, F_SETFL, flags);
  }

  start(onReadable: () => void): void {
    this.handle.start({ readable: true }, onReadable);
  }

  stop(): void {
    this.handle.stop();
  }

  close(): void {
    this.handle.close();
    libc().close(this.dup);
  }
}

export type WaitResult = { type: 'read'; watch: ReadWatch } | { type: 'timeout' } | { type: 'wake' };

/**
 * Postfix: one turn of event_loop(): wait until one of the descriptors is readable, the
 * time limit (ms, or null for none) passes, or someone calls the wake function.
 */
export class EventWait {
  private waker: (() => void) | null = null;
  private pendingWake = false;

  /** Make the current or next wait return { type: 'wake' }. */
  wake(): void {
    if (this.waker !== null) this.waker();
    else this.pendingWake = true;
  }

  wait(watches: readonly ReadWatch[], limitMs: number | null): Promise<WaitResult> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve({ type: 'wake' });
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: WaitResult) => {
        if (timer !== undefined) clearTimeout(timer);
        for (const w of watches) w.stop();
        this.waker = null;
        resolve(result);
      };
      for (const w of watches) w.start(() => finish({ type: 'read', watch: w }));
      this.waker = () => finish({ type: 'wake' });
      if (limitMs !== null) timer = setTimeout(() => finish({ type: 'timeout' }), Math.max(0, Math.min(limitMs, 2 ** 31 - 1)));
    });
  }
}

/** Watches for the listen descriptors and the status channel, close-on-exec. */
export function listenWatches(server: MailServer): ReadWatch[] {
  const watches: ReadWatch[] = [];
  for (let fd = MASTER_LISTEN_FD; fd < MASTER_LISTEN_FD + server.socketCount; fd++) {
    watches.push(new ReadWatch(fd));
    closeOnExec(fd);
    // Another process may take the client first: accept() must then fail, not block.
    const c = libc();
    const flags = c.fcntlInt(fd, F_GETFL, 0);
    if (flags >= 0 && (flags & O_NONBLOCK) === 0) c.fcntlInt(fd, F_SETFL, flags | O_NONBLOCK);
  }
  return watches;
}

export function statusWatch(): ReadWatch {
  const watch = new ReadWatch(MASTER_STATUS_FD);
  closeOnExec(MASTER_STATUS_FD);
  closeOnExec(MASTER_FLOW_READ);
  closeOnExec(MASTER_FLOW_WRITE);
  return watch;
}

const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;

/** Postfix: close_on_exec(fd, CLOSE_ON_EXEC); silent on a descriptor that is not open. */
export function closeOnExec(fd: number): void {
  const c = libc();
  const flags = c.fcntlInt(fd, F_GETFD, 0);
  if (flags >= 0) c.fcntlInt(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* ------------------------------------------------------------------ accept */

/* Errors of accept() that only mean "someone else got it" or "the client went away". */
const ACCEPT_OK_ERRORS = new Set([11, 111, 104, 112, 113, 4, 100, 101, 107, 105, 103, 71]);
const EAGAIN_CODE = 11;

/** Postfix: sane_accept(). The new descriptor (close-on-exec), or throws; EAGAIN for "not now". */
export function saneAccept(listenFd: number): number {
  const fd = libc().accept4(listenFd, null, null, SOCK_CLOEXEC);
  if (fd >= 0) return fd;
  const num = lastErrno();
  throw sysError('accept', ACCEPT_OK_ERRORS.has(num) ? EAGAIN_CODE : num);
}

const PASS_ACCEPT_TMOUT = 100;

/**
 * Postfix: pass_accept_attr(). Accept a connection on a "pass" socket, receive the
 * descriptor it carries and the attributes that follow. null after a warning.
 */
export async function passAcceptAttr(listenFd: number): Promise<{ fd: number; attr: Map<string, string> | null } | null> {
  const myname = 'pass_accept_attr';
  let acceptFd: number;
  try {
    acceptFd = saneAccept(listenFd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') msg.warn(`${myname}: cannot accept connection: ${strerror(err)}`);
    throw err;
  }
  let recvFd: number | null = null;
  let attr: Map<string, string> | null = null;
  let sock: Socket | null = null;
  try {
    await readWait(acceptFd, PASS_ACCEPT_TMOUT);
  } catch (err) {
    msg.warn(`${myname}: timeout receiving file descriptor: ${strerror(err)}`);
    closeSync(acceptFd);
    return null;
  }
  try {
    recvFd = unixRecvFd(acceptFd);
    if (recvFd === null) throw sysError('recvmsg', 9);
  } catch (err) {
    msg.warn(`${myname}: cannot receive file descriptor: ${strerror(err)}`);
    closeSync(acceptFd);
    return null;
  }
  try {
    await readWait(acceptFd, PASS_ACCEPT_TMOUT);
    sock = new Socket({ fd: acceptFd, readable: true, writable: true });
    const stream = new AsyncVStream(sock, sock, { path: 'pass_accept_attr', timeout: PASS_ACCEPT_TMOUT });
    stream.startDeadline();
    const table = new Map<string, string>();
    const { count } = await attrScan0(stream, ATTR_FLAG_NONE, [recvAttrHash(table)]);
    if (count < 0 || stream.error !== null || stream.timedOut) throw sysError('read', stream.timedOut ? 110 : 5);
    attr = table.size > 0 ? table : null;
  } catch (err) {
    msg.warn(`${myname}: cannot receive connection attributes: ${strerror(err)}`);
    closeSync(recvFd);
    if (sock !== null) sock.destroy();
    else closeSync(acceptFd);
    return null;
  }
  sock.destroy();
  return { fd: recvFd, attr };
}

/**
 * Accept one client on a listen descriptor of the given transport: the descriptor and
 * any "pass" attributes; null when there was nothing to accept (after an error report,
 * unless another process simply took the client first).
 */
export async function acceptClient(server: MailServer, listenFd: number): Promise<{ fd: number; attr: Map<string, string> | null } | null> {
  try {
    if (server.transport === MASTER_XPORT_NAME_PASS) return await passAcceptAttr(listenFd);
    return { fd: saneAccept(listenFd), attr: null };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') msg.error(`accept connection: ${strerror(err)}`);
    return null;
  }
}

/** Postfix: the release of the accept lock right after accept(). */
export function acceptUnlock(server: MailServer): void {
  if (server.lockFd === null) return;
  try {
    myflock(server.lockFd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_NONE);
  } catch (err) {
    msg.fatal(`select unlock: ${strerror(err)}`);
  }
}

/** Postfix: the exclusive accept lock taken before each turn of the event loop. */
export async function acceptLock(server: MailServer): Promise<void> {
  if (server.lockFd === null) return;
  try {
    await myflockAsync(server.lockFd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE);
  } catch (err) {
    msg.fatal(`select lock: ${strerror(err)}`);
  }
}

/**
 * A client connection on an accepted descriptor, with the ipc_timeout limit and the path
 * "<service> socket" (Postfix: vstream_fdopen() plus timed_ipc_setup()).
 */
export function serviceStream(server: MailServer, fd: number, attr: Map<string, string> | null): ServiceStream {
  const sock = new Socket({ fd, readable: true, writable: true });
  if (server.transport === MASTER_XPORT_NAME_INET) sock.setKeepAlive(true);
  const stream = new ServiceStream(sock, sock, { path: `${server.name} socket` });
  stream.fd = fd;
  stream.attr = attr;
  timedIpcSetup(stream);
  return stream;
}

/**
 * The stand-alone stream of -S: standard input for reading, standard output for writing
 * (Postfix: VSTREAM_IN with VSTREAM_CTL_WRITE_FD(STDOUT_FILENO)).
 */
export function standaloneStream(server: MailServer): ServiceStream {
  // Postfix names neither standard stream: VSTREAM_PATH() gives "unknown_stream".
  const stream = new ServiceStream(process.stdin, process.stdout, { path: 'unknown_stream' });
  stream.fd = 0;
  return stream;
}

/* --------------------------------------------------------------- timers */

/**
 * Postfix: the event timers of a skeleton (idle timeout, retirement), as deadlines that the
 * event wait looks at. cancelIdle() and restoreIdle() are event_cancel_timer() and the
 * re-request with the time that was left.
 */
export class ServerTimers {
  idleDeadline: number | null = null;
  retireDeadline: number | null = null;

  constructor(private readonly server: MailServer) {}

  requestIdle(seconds = mailServerLimits.max_idle): void {
    if (seconds >= 0) this.idleDeadline = Date.now() + seconds * 1000;
  }

  /** The remaining idle time in ms, or -1 when no idle timer was set. */
  cancelIdle(): number {
    if (this.idleDeadline === null) return -1;
    const left = Math.max(0, this.idleDeadline - Date.now());
    this.idleDeadline = null;
    return left;
  }

  restoreIdle(leftMs: number): void {
    if (leftMs >= 0) this.idleDeadline = Date.now() + leftMs;
  }

  /** The time until the first deadline (including an extra one), or null. */
  limit(extraMs: number | null): number | null {
    const now = Date.now();
    const all = [this.idleDeadline, this.retireDeadline].filter((d): d is number => d !== null).map((d) => d - now);
    if (extraMs !== null) all.push(extraMs);
    return all.length === 0 ? null : Math.max(0, Math.min(...all));
  }

  /** Run the expired timers: idle and retirement end the process. */
  expire(): void {
    const now = Date.now();
    if (this.idleDeadline !== null && now >= this.idleDeadline) mailServerAbort(this.server, 'idle timeout');
    if (this.retireDeadline !== null && now >= this.retireDeadline) {
      if (msg.verbose) msg.info('time to retire -- exiting');
      mailServerExit(this.server);
    }
  }
}

/** The loop hook's delay in ms (-1 and other negative values: none). */
export async function loopDelay(server: MailServer): Promise<number | null> {
  if (!server.opts.loop) return null;
  const delay = await server.opts.loop(server.name, server.argv);
  return delay < 0 ? null : delay * 1000;
}


/* --------------------------------------------------------------- the loop */

export interface LoopHandlers {
  /** The listen watches to wait on (may change, as after a drain). */
  listen(): readonly ReadWatch[];
  /** The status channel watch; null once the skeleton stopped watching it. */
  status(): ReadWatch | null;
  events: EventWait;
  /** Postfix: the loop condition, e.g. "use_count < max_use". */
  more(): boolean;
  /** A listen descriptor is readable. */
  onListen(watch: ReadWatch): Promise<void>;
  /** The status channel is readable: master went away. Default: exit. */
  onStatus?(): void | Promise<void>;
  /** Another part of the skeleton woke the loop (a client of a multi server). */
  onWake?(): Promise<void>;
}

/**
 * Postfix: the event loop at the end of xxx_server_main(): take the accept lock, start
 * the watchdog, run the loop hook, wait for one event and handle it; exit when the loop
 * condition says so.
 */
export async function mailServerLoop(server: MailServer, timers: ServerTimers, h: LoopHandlers): Promise<never> {
  const watchdog = new Watchdog(server.watchdogTime);
  while (h.more()) {
    if (server.lockFd !== null) {
      watchdog.stop();
      await acceptLock(server);
    }
    watchdog.start();
    const delay = await loopDelay(server);
    /*
     * Postfix's watchdog alarm wakes an idle event loop every third of its time, which
     * starts the watchdog again: only a stuck turn trips it, never a long wait.
     */
    watchdog.stop();
    const status = h.status();
    const watches = status === null ? [...h.listen()] : [...h.listen(), status];
    const ev = await h.events.wait(watches, timers.limit(delay));
    watchdog.start();
    if (ev.type === 'read' && ev.watch === status) {
      if (h.onStatus === undefined) mailServerAbort(server, 'master disconnect');
      await h.onStatus();
    } else if (ev.type === 'read') {
      await h.onListen(ev.watch);
    } else if (ev.type === 'wake') {
      if (h.onWake) await h.onWake();
    } else {
      timers.expire();
    }
  }
  return mailServerExit(server);
}

/* ------------------------------------------------ the skeleton mains' common parts */

/** A service function that takes a client stream (single, multi and event servers). */
export type StreamService = (stream: ServiceStream, serviceName: string, argv: string[]) => void | Promise<void>;

/**
 * Postfix: the -S branch of single_server_main(), multi_server_main() and
 * event_server_main(): serve standard input and output once, then exit.
 */
export async function mailServerStandalone(server: MailServer, service: StreamService): Promise<never> {
  const stream = standaloneStream(server);
  await service(stream, server.name, server.argv);
  await stream.flush();
  return mailServerExit(server);
}

/** What a skeleton main keeps between events (Postfix: the static variables of xxx_server.c). */
export interface ServerState {
  server: MailServer;
  timers: ServerTimers;
  events: EventWait;
  useCount: number;
  /** The listen watches; empty after a drain. */
  listen: ReadWatch[];
  /** The status channel watch; null once the skeleton stopped watching it. */
  status: ReadWatch | null;
}

export function serverState(server: MailServer): ServerState {
  return { server, timers: new ServerTimers(server), events: new EventWait(), useCount: 0, listen: [], status: null };
}

/** Postfix: the loop condition "use_count < var_use_limit", where a limit of 0 means none. */
export function belowUseLimit(st: ServerState): boolean {
  return mailServerLimits.max_use === 0 || st.useCount < mailServerLimits.max_use;
}

/** Count one served client or request; the count stops at INT_MAX as Postfix's does. */
export function countUse(st: ServerState): void {
  if (st.useCount < 2 ** 31 - 1) st.useCount++;
}

/**
 * After a request of a skeleton that serves one at a time (single, trigger, dgram): tell
 * master this process is free again, or exit when master is gone; restart the idle timer.
 */
export function requestDone(st: ServerState): void {
  if (notifyAvail(st.server) < 0) mailServerAbort(st.server, 'master disconnect');
  if (mailServerLimits.max_idle > 0) st.timers.requestIdle();
  countUse(st);
}

/**
 * Postfix: the end of xxx_server_main(): the idle timer, the watches on the listen
 * descriptors and on the status channel, then the event loop for as long as more() says.
 */
export function mailServerRun(
  st: ServerState,
  h: Pick<LoopHandlers, 'more' | 'onListen' | 'onStatus' | 'onWake'>,
): Promise<never> {
  if (mailServerLimits.max_idle > 0) st.timers.requestIdle();
  st.listen = listenWatches(st.server);
  st.status = statusWatch();
  return mailServerLoop(st.server, st.timers, { listen: () => st.listen, status: () => st.status, events: st.events, ...h });
}

/* ------------------------------------ multi and event servers: many clients at once */

/** The state of a skeleton that keeps many clients open (multi, event). */
export interface ClientServerState extends ServerState {
  clientCount: number;
  /** Clients already disconnected: a second disconnect is a no-op. */
  closed: WeakSet<ServiceStream>;
}

export function clientServerState(server: MailServer): ClientServerState {
  return { ...serverState(server), clientCount: 0, closed: new WeakSet() };
}

/** Postfix: the loop condition of multi and event servers: also while clients remain. */
export function clientsOrBelowUseLimit(st: ClientServerState): boolean {
  return belowUseLimit(st) || st.clientCount > 0;
}

/**
 * Postfix: xxx_server_accept_{local,inet,pass}() of multi and event servers: accept one
 * client, with the idle timer stopped while there are no clients. The new client stream
 * and its "pass" attributes, or null when there was nothing to accept.
 */
export async function clientAccept(
  st: ClientServerState,
  watch: ReadWatch,
): Promise<{ stream: ServiceStream; attr: Map<string, string> | null } | null> {
  const { server, timers } = st;
  const timeLeft = st.clientCount === 0 && mailServerLimits.max_idle > 0 ? timers.cancelIdle() : -1;
  if (server.opts.preAccept) server.opts.preAccept(server.name, server.argv);
  const client = await acceptClient(server, watch.fd);
  if (client === null) {
    timers.restoreIdle(timeLeft);
    return null;
  }
  if (msg.verbose) msg.info(`connection established fd ${client.fd}`);
  st.clientCount++;
  return { stream: serviceStream(server, client.fd, client.attr), attr: client.attr };
}

/**
 * Postfix: xxx_server_disconnect() of multi and event servers: close a client and count
 * it. false when the client was already closed.
 */
export function clientDisconnect(st: ClientServerState, stream: ServiceStream): boolean {
  if (st.closed.has(stream)) return false;
  const { server } = st;
  if (msg.verbose) msg.info(`connection closed fd ${stream.fd}`);
  if (server.opts.preDisconnect) server.opts.preDisconnect(stream, server.name, server.argv);
  st.closed.add(stream);
  stream.destroy();
  st.clientCount--;
  countUse(st);
  if (st.clientCount === 0 && mailServerLimits.max_idle > 0) st.timers.requestIdle();
  return true;
}

/**
 * Postfix: xxx_server_drain() of multi and event servers: stop taking new clients and
 * exit once the current ones are done. XXX Postfix forks so that master can start a
 * fresh process at once; here the process stays master's child until its last client
 * leaves.
 */
export function clientDrain(st: ClientServerState): void {
  for (const w of st.listen) w.close();
  st.listen = [];
  mailServerLimits.max_use = 1;
}
