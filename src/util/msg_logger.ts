/*
 * msg_logger - send msg diagnostics to postlogd(8), one datagram per record, or hand them to
 * a fallback (a direct write of maillog_file) when the service socket cannot be reached.
 * Counterpart: postfix/src/util/msg_logger.c. Record format (postlogd strips it again):
 * "Mmm dd hh:mm:ss host progname[pid]: [severity: ]text", host being the first label of the
 * host name, the day zero-padded, text cut at 2000 bytes; no newline. Send errors are ignored.
 */
import { closeSync } from 'node:fs';
import { msg, msgOutputAdd, MSG_INFO, type MsgLevel } from './msg.js';
import { BLOCKING } from './poll_fd.js';
import { unsafe } from './safe.js';
import { unixDgramConnect, unixDgramSend } from './unix_dgram_connect.js';

export type MsgLoggerFallback = (record: string) => void;

/* msg_logger_control() requests; a fallback function is passed as { fallbackFn }. */
export const MSG_LOGGER_CTL_FALLBACK_ONLY = 'fallback_only';
export const MSG_LOGGER_CTL_DISABLE = 'disable';
export const MSG_LOGGER_CTL_CONNECT_NOW = 'connect_now';
export type MsgLoggerCtl = typeof MSG_LOGGER_CTL_FALLBACK_ONLY | typeof MSG_LOGGER_CTL_DISABLE
  | typeof MSG_LOGGER_CTL_CONNECT_NOW | { fallbackFn: MsgLoggerFallback | undefined };

/* Same limit as msg_syslog: the text of one record. */
const MSG_LOGGER_RECLEN = 2000;
const SOCK_NONE = -1;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SEVERITY_NAME = ['info', 'warning', 'error', 'fatal', 'panic'];

let progname = '';
let hostname = '';
let unixPath = '';
let fallbackFn: MsgLoggerFallback | undefined;
let fallbackOnly = false; // postlogd itself: never use the socket
let enabled = false;
let firstCall = true;
let sock = SOCK_NONE;

function connect(): void {
  if (sock !== SOCK_NONE) return;
  try {
    sock = unixDgramConnect(unixPath, BLOCKING);
  } catch {
    // ENOENT: no endpoint; ECONNREFUSED: nobody listening. Use the fallback.
    sock = SOCK_NONE;
  }
}

function disconnect(): void {
  if (sock === SOCK_NONE) return;
  closeSync(sock);
  sock = SOCK_NONE;
}

const two = (n: number) => String(n).padStart(2, '0');

/** strftime("%b %d %H:%M:%S ") in the C locale and local time. */
function timeStamp(now: Date): string {
  return `${MONTHS[now.getMonth()]} ${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())} `;
}

/** The record for one diagnostic, as a byte string. */
export function msgLoggerFormat(level: MsgLevel, text: string, now = new Date()): string {
  const severity = SEVERITY_NAME[level];
  if (severity === undefined) msg.panic(`msg_logger_print: invalid severity level: ${level}`);
  const host = hostname.slice(0, hostname.indexOf('.') < 0 ? undefined : hostname.indexOf('.'));
  const nul = text.indexOf('\0'); // "%.*s" stops there
  const body = (nul < 0 ? text : text.slice(0, nul)).slice(0, MSG_LOGGER_RECLEN);
  const prefix = `${timeStamp(now)}${host} ${progname}[${process.pid}]: `;
  return level === MSG_INFO ? prefix + body : `${prefix}${severity}: ${body}`;
}

function loggerPrint(level: MsgLevel, text: string): void {
  if (!enabled) return;
  const record = msgLoggerFormat(level, text);
  if (!fallbackOnly) connect();
  if (sock !== SOCK_NONE) {
    try {
      unixDgramSend(sock, Buffer.from(record, 'latin1'));
    } catch {
      // As in Postfix: a record that cannot be sent is lost, not reported (to whom?).
    }
  } else if (fallbackFn !== undefined) {
    fallbackFn(record);
  }
}

/**
 * Postfix: msg_logger_init(). May be called again to change the name, host or service;
 * re-enables the client and cancels a fallback-only override.
 */
export function msgLoggerInit(name: string, host: string, servicePath: string, fallback?: MsgLoggerFallback): void {
  if (firstCall) {
    // A set-gid program must not let the user choose a time zone file for it.
    if (unsafe()) delete process.env.TZ;
  }
  progname = name;
  hostname = host;
  unixPath = servicePath;
  fallbackFn = fallback;
  if (firstCall) {
    firstCall = false;
    msgOutputAdd(loggerPrint);
  }
  enabled = true;
  fallbackOnly = false;
}

/** Postfix: msg_logger_control(). Requests take effect in order, until the next init. */
export function msgLoggerControl(...requests: MsgLoggerCtl[]): void {
  for (const request of requests) {
    if (typeof request === 'object') {
      fallbackFn = request.fallbackFn;
      continue;
    }
    switch (request) {
      case MSG_LOGGER_CTL_FALLBACK_ONLY:
        fallbackOnly = true;
        disconnect();
        break;
      case MSG_LOGGER_CTL_DISABLE:
        enabled = false;
        break;
      case MSG_LOGGER_CTL_CONNECT_NOW:
        disconnect();
        if (!fallbackOnly) connect();
        break;
      default:
        msg.panic(`msg_logger_control: bad name ${String(request)}`);
    }
  }
}
