/*
 * master_ent - read master.cf: one service entry per logical line, with its defaults
 * ("-"), y/n flags, wake-up time ("N?": only after first use), process limit, and the
 * command line that master(8) will give the child (-l -z -n -t -d -v -u -c -o stress= -s).
 * Counterpart: postfix/src/master/master_ent.c, and the MASTER_SERV and MASTER_PROC
 * structures of postfix/src/master/master.h.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { readLogicalLines } from '../util/readlline.js';
import { CHARS_BRACE, CHARS_SPACE, extpar } from '../util/stringops.js';
import { inetProtoInfo } from '../util/inet_proto.js';
import { inetServicePort } from '../util/inet_listen.js';
import { MAIL_CLASS_PRIVATE, MAIL_CLASS_PUBLIC, mailPathname } from '../global/mail_proto.js';
import { matchServiceInit, matchServiceMatch } from '../global/match_service.js';
import {
  INET_INTERFACES_ALL, inetAddrHost, inetAddrInLoopback, inetAddrListUniq, inetAddrParse, inetAddrText, ownInetAddrList,
  wildcardInetAddrList, type InetAddr,
} from '../global/own_inet_addr.js';
import {
  MASTER_XPORT_NAME_FIFO, MASTER_XPORT_NAME_INET, MASTER_XPORT_NAME_PASS, MASTER_XPORT_NAME_UNIX,
  MASTER_XPORT_NAME_UXDG,
} from './master_proto.js';
import { vars } from './master_vars.js';
import type { ReadWatch } from './master_events.js';
import type { MasterTimer } from './master_timer.js';

/* Service flags; Postfix: MASTER_FLAG_*. */
export const MASTER_FLAG_THROTTLE = 1 << 0;
export const MASTER_FLAG_MARK = 1 << 1;
export const MASTER_FLAG_CONDWAKE = 1 << 2;
export const MASTER_FLAG_INETHOST = 1 << 3;
export const MASTER_FLAG_LOCAL_ONLY = 1 << 4;
export const MASTER_FLAG_LISTEN = 1 << 5;

/* Transport types; Postfix: MASTER_SERV_TYPE_*. */
export const MASTER_SERV_TYPE_UNIX = 1;
export const MASTER_SERV_TYPE_INET = 2;
export const MASTER_SERV_TYPE_FIFO = 3;
export const MASTER_SERV_TYPE_PASS = 4;
export const MASTER_SERV_TYPE_UXDG = 5;

/** Postfix: MASTER_LIMIT_OK(). */
export const masterLimitOk = (limit: number, count: number): boolean => limit === 0 || count < limit;

/** One master.cf service; Postfix: MASTER_SERV. */
export interface MasterServ {
  flags: number;
  /** The name field as master.cf has it. */
  extName: string;
  /** The endpoint: "private/cleanup", "[127.0.0.1]:10025", "25". */
  name: string;
  type: number;
  busyWarnTime: number;
  wakeupTime: number;
  listenFd: number[];
  listenFdCount: number;
  /** inet: the addresses and the port (as written) to listen on. */
  inetAddrs: InetAddr[];
  inetPort: string;
  maxProc: number;
  path: string;
  args: string[];
  /** Index in args of "stress=" (inet services with remote clients), or -1. */
  stressArg: number;
  stressExpireTime: number;
  availProc: number;
  totalProc: number;
  throttleDelay: number;
  statusFd: [number, number];
  /* Event loop state (Postfix keeps it in the event manager's tables). */
  listenWatch: ReadWatch[];
  statusWatch: ReadWatch | null;
  wakeupTimer: MasterTimer | null;
  throttleTimer: MasterTimer | null;
}

/** One child process; Postfix: MASTER_PROC. */
export interface MasterProc {
  pid: number;
  gen: number;
  avail: number;
  serv: MasterServ;
  useCount: number;
}

let masterPath: string | undefined;
let masterLines: Generator<{ text: string; lineno: number }> | undefined;
let masterLine = 0;
let masterDisable: string[] | undefined;
let savedInterfaces: string | undefined;

/** Postfix: fset_master_ent(). */
export function fsetMasterEnt(path: string): void {
  masterPath = path;
}

/** Postfix: set_master_ent(). */
export function setMasterEnt(): void {
  const myname = 'set_master_ent';
  if (masterLines !== undefined) msg.panic(`${myname}: configuration file still open`);
  if (masterPath === undefined) msg.panic(`${myname}: no configuration file specified`);
  let text: string;
  try {
    text = readFileSync(masterPath, 'latin1');
  } catch (err) {
    return msg.fatal(`open ${masterPath}: ${strerror(err)}`);
  }
  masterLines = readLogicalLines(text, masterPath);
  if (masterDisable !== undefined) msg.panic(`${myname}: service disable list still exists`);
  if (inetProtoInfo().families.length === 0) {
    msg.warn(`all network protocols are disabled (inet_protocols = ${vars.inetProtocols})`);
    msg.warn('disabling all type "inet" services in master.cf');
    masterDisable = matchServiceInit(`${MASTER_XPORT_NAME_INET},${vars.masterDisable}`);
  } else {
    masterDisable = matchServiceInit(vars.masterDisable);
  }
}

/** Postfix: end_master_ent(). */
export function endMasterEnt(): void {
  const myname = 'end_master_ent';
  if (masterLines === undefined) msg.panic(`${myname}: configuration file not open`);
  masterLines = undefined;
  if (masterDisable === undefined) msg.panic(`${myname}: no service disable list`);
  masterDisable = undefined;
}

function masterConfContext(): string {
  return `${masterPath}: line ${masterLine}`;
}

function fatalWithContext(text: string): never {
  return msg.fatal(`${masterConfContext()}: ${text}`);
}

function fatalInvalidField(name: string, value: string): never {
  return fatalWithContext(`field "${name}": bad value: "${value}"`);
}

/** Postfix: mystrtok() over one logical line. */
class Fields {
  private pos = 0;
  constructor(private readonly text: string) {}

  next(): string | undefined {
    const t = this.text;
    while (this.pos < t.length && CHARS_SPACE.includes(t[this.pos]!)) this.pos++;
    if (this.pos >= t.length) return undefined;
    const start = this.pos;
    while (this.pos < t.length && !CHARS_SPACE.includes(t[this.pos]!)) this.pos++;
    return t.slice(start, this.pos);
  }

  /** Postfix: mystrtokq() with {} grouping. */
  nextQuoted(): string | undefined {
    const t = this.text;
    while (this.pos < t.length && CHARS_SPACE.includes(t[this.pos]!)) this.pos++;
    if (this.pos >= t.length) return undefined;
    const start = this.pos;
    let level = 0;
    for (; this.pos < t.length; this.pos++) {
      const ch = t[this.pos]!;
      if (ch === CHARS_BRACE[0]) level++;
      else if (level > 0 && ch === CHARS_BRACE[1]) level--;
      else if (level === 0 && CHARS_SPACE.includes(ch)) break;
    }
    return t.slice(start, this.pos);
  }
}

function getStrEnt(fields: Fields, name: string, defVal: string | null): string {
  const value = fields.next();
  if (value === undefined) fatalWithContext(`missing "${name}" field`);
  if (value !== '-') return value;
  if (defVal === null) fatalWithContext(`field "${name}" has no default value`);
  if (vars.compatChroot && name === 'chroot') {
    msg.info(`${masterConfContext()}: using backwards-compatible default setting ${name}=${defVal}`);
  }
  return defVal;
}

function getBoolEnt(fields: Fields, name: string, defVal: string): boolean {
  const value = getStrEnt(fields, name, defVal);
  if (value === 'y') return true;
  if (value === 'n') return false;
  return fatalInvalidField(name, value);
}

/** C atoi(): leading digits, saturating like glibc's strtol() cast to int. */
function atoi(text: string): number {
  const digits = /^[0-9]*/.exec(text)![0];
  const n = BigInt(digits === '' ? '0' : digits);
  const clamped = n > 0x7fffffffffffffffn ? 0x7fffffffffffffffn : n;
  return Number(BigInt.asIntN(32, clamped));
}

function getIntEnt(fields: Fields, name: string, defVal: string, minVal: number): { n: number; text: string } {
  const value = getStrEnt(fields, name, defVal);
  const n = /^[0-9]/.test(value) ? atoi(value) : NaN;
  if (!(n >= minVal)) fatalInvalidField(name, value);
  return { n, text: value };
}

/** Postfix: host_port() with an empty default host and no default service. */
function masterHostPort(text: string): { host: string; port: string } | string {
  let host: string;
  let port: string;
  if (text.startsWith('[')) {
    let rest = text.slice(1);
    const ipv6 = rest.toLowerCase().startsWith('ipv6:');
    if (ipv6) rest = rest.slice(5);
    const close = rest.indexOf(']');
    if (close < 0) return 'missing "]"';
    host = rest.slice(0, close);
    let after = rest.slice(close + 1);
    if (after !== '') {
      if (after[0] !== ':') return 'garbage after "]"';
      after = after.slice(1);
    }
    if (after === '') return 'missing service information';
    port = after;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      port = text.slice(colon + 1);
      if (port === '') return 'missing service information';
    } else {
      host = '';
      port = text;
      if (port === '') return 'missing service information';
    }
  }
  if (/^[0-9]/.test(port) && !/^[0-9]+$/.test(port)) return 'garbage after numerical service';
  return { host, port };
}

function newServ(name: string): MasterServ {
  return {
    flags: 0, extName: name, name: '', type: 0, busyWarnTime: 0, wakeupTime: 0, listenFd: [], listenFdCount: 0,
    inetAddrs: [], inetPort: '', maxProc: 0, path: '', args: [], stressArg: -1, stressExpireTime: 0, availProc: 0,
    totalProc: 0, throttleDelay: vars.throttleTime, statusFd: [-1, -1], listenWatch: [], statusWatch: null,
    wakeupTimer: null, throttleTimer: null,
  };
}

/** Postfix: get_master_ent(). The next enabled service, or null at the end of the file. */
export function getMasterEnt(): MasterServ | null {
  if (masterLines === undefined) msg.panic('get_master_ent: config file not open');
  if (masterDisable === undefined) msg.panic('get_master_ent: no service disable list');
  savedInterfaces ??= vars.inetInterfaces;

  let fields: Fields;
  let name: string;
  let transport: string;
  for (;;) {
    const line = masterLines.next();
    if (line.done) return null;
    masterLine = line.value.lineno;
    fields = new Fields(line.value.text);
    const first = fields.next();
    if (first === undefined) continue;
    name = first;
    transport = getStrEnt(fields, 'transport type', null);
    if (!matchServiceMatch(masterDisable, `${name}/${transport}`)) break;
  }

  const serv = newServ(name);
  let host = '';
  let port = '';
  if (transport === MASTER_XPORT_NAME_INET) {
    if (savedInterfaces !== vars.inetInterfaces) {
      msg.warn(`service ${serv.extName}: ignoring inet_interfaces change`);
      msg.warn('to change inet_interfaces, stop and start Postfix');
    }
    serv.type = MASTER_SERV_TYPE_INET;
    const parsed = masterHostPort(name);
    if (typeof parsed === 'string') fatalWithContext(`${parsed} in "${name}"`);
    ({ host, port } = parsed);
    if (host !== '') {
      serv.flags |= MASTER_FLAG_INETHOST;
      const addrs = inetAddrHost(host);
      if (addrs.length === 0) fatalWithContext(`bad hostname or network address: ${name}`);
      serv.inetAddrs = inetAddrListUniq(addrs);
    } else {
      serv.inetAddrs = inetAddrListUniq(savedInterfaces.toLowerCase() !== INET_INTERFACES_ALL
        ? ownInetAddrList(savedInterfaces) : wildcardInetAddrList());
    }
    serv.listenFdCount = serv.inetAddrs.length;
    serv.inetPort = port;
    if (serv.inetAddrs.every(inetAddrInLoopback)) serv.flags |= MASTER_FLAG_LOCAL_ONLY;
  } else if (transport === MASTER_XPORT_NAME_UNIX) {
    serv.type = MASTER_SERV_TYPE_UNIX;
    serv.listenFdCount = 1;
    serv.flags |= MASTER_FLAG_LOCAL_ONLY;
  } else if (transport === MASTER_XPORT_NAME_UXDG) {
    serv.type = MASTER_SERV_TYPE_UXDG;
    serv.listenFdCount = 1;
    serv.flags |= MASTER_FLAG_LOCAL_ONLY;
  } else if (transport === MASTER_XPORT_NAME_FIFO) {
    serv.type = MASTER_SERV_TYPE_FIFO;
    serv.listenFdCount = 1;
    serv.flags |= MASTER_FLAG_LOCAL_ONLY;
  } else if (transport === MASTER_XPORT_NAME_PASS) {
    // A connection screener hands over remote clients: not local-only.
    serv.type = MASTER_SERV_TYPE_PASS;
    serv.listenFdCount = 1;
  } else {
    fatalWithContext(`bad transport type: ${transport}`);
  }

  const isPrivate = getBoolEnt(fields, 'private', 'y');
  if (serv.type === MASTER_SERV_TYPE_INET) {
    if (isPrivate) fatalWithContext('inet service cannot be private');
    // The canonical name: numeric host and port where they are known.
    const portNumber = inetServicePort(port);
    if (portNumber === undefined) {
      serv.name = name;
    } else if (host === '') {
      serv.name = String(portNumber);
    } else {
      const numeric = inetAddrParse(host);
      serv.name = `[${numeric === null ? host : inetAddrText(numeric)}]:${portNumber}`;
    }
  } else {
    serv.name = mailPathname(isPrivate ? MAIL_CLASS_PRIVATE : MAIL_CLASS_PUBLIC, name);
  }

  if (serv.listenFdCount === 0) fatalWithContext(`no valid IP address found: ${name}`);
  serv.listenFd = new Array<number>(serv.listenFdCount).fill(-1);

  const unprivileged = getBoolEnt(fields, 'unprivileged', 'y');
  const chroot = getBoolEnt(fields, 'chroot', vars.compatChroot ? 'y' : 'n');
  const wakeup = getIntEnt(fields, 'wakeup_time', '0', 0);
  serv.wakeupTime = wakeup.n;
  if (serv.wakeupTime > 0 && wakeup.text.endsWith('?')) serv.flags |= MASTER_FLAG_CONDWAKE;
  serv.maxProc = getIntEnt(fields, 'max_proc', String(vars.procLimit), 0).n;
  const command = getStrEnt(fields, 'command', null);
  serv.path = `${vars.daemonDir}/${command}`;

  const args = [command];
  if (serv.maxProc === 1) args.push('-l');
  if (serv.maxProc === 0) args.push('-z');
  if (basename(command) !== name) args.push('-n', name);
  args.push('-t', transport);
  if (!masterDetach()) args.push('-d');
  if (msg.verbose) args.push('-v');
  if (unprivileged) args.push('-u');
  if (chroot) args.push('-c');
  if ((serv.flags & MASTER_FLAG_LOCAL_ONLY) === 0 && serv.maxProc > 1) {
    args.push('-o', 'stress=');
    serv.stressArg = args.length - 1;
  }
  if (serv.listenFdCount > 1) args.push('-s', String(serv.listenFdCount));
  for (let cp = fields.nextQuoted(); cp !== undefined; cp = fields.nextQuoted()) {
    if (cp.startsWith(CHARS_BRACE[0]!)) {
      const inner = extpar(cp, CHARS_BRACE, true);
      if (inner.err !== undefined) fatalWithContext(inner.err);
      cp = inner.text;
    }
    args.push(cp);
  }
  serv.args = args;
  return serv;
}

let detach = true;

/** Postfix: the master_detach global; false with master -d. */
export function masterDetach(): boolean {
  return detach;
}

export function setMasterDetach(value: boolean): void {
  detach = value;
}

const TYPE_NAMES: Record<number, string> = {
  [MASTER_SERV_TYPE_UNIX]: MASTER_XPORT_NAME_UNIX,
  [MASTER_SERV_TYPE_FIFO]: MASTER_XPORT_NAME_FIFO,
  [MASTER_SERV_TYPE_INET]: MASTER_XPORT_NAME_INET,
  [MASTER_SERV_TYPE_PASS]: MASTER_XPORT_NAME_PASS,
  [MASTER_SERV_TYPE_UXDG]: MASTER_XPORT_NAME_UXDG,
};

/** Postfix: print_master_ent(). */
export function printMasterEnt(serv: MasterServ): void {
  msg.info('====start service entry');
  msg.info(`flags: ${serv.flags}`);
  msg.info(`name: ${serv.name}`);
  msg.info(`type: ${TYPE_NAMES[serv.type] ?? 'unknown transport type'}`);
  msg.info(`listen_fd_count: ${serv.listenFdCount}`);
  msg.info(`wakeup: ${serv.wakeupTime}`);
  msg.info(`max_proc: ${serv.maxProc}`);
  msg.info(`path: ${serv.path}`);
  serv.args.forEach((arg, i) => msg.info(`arg[${i}]: ${arg}`));
  msg.info(`avail_proc: ${serv.availProc}`);
  msg.info(`total_proc: ${serv.totalProc}`);
  msg.info(`throttle_delay: ${serv.throttleDelay}`);
  msg.info(`status_fd ${serv.statusFd[0]} ${serv.statusFd[1]}`);
  msg.info('children: 0x0');
  msg.info('next: 0x0');
  msg.info('====end service entry');
}

/** The transport name of a service type. */
export function transportName(type: number): string {
  return TYPE_NAMES[type] ?? 'unknown';
}
