/*
 * msg_syslog - send msg diagnostics to syslog through the C library's openlog()/syslog().
 * Counterpart: postfix/src/util/msg_syslog.c. The records are glibc's, so they carry the
 * same bytes as Postfix's: "<pri>timestamp tag[pid]: severity: text", where info has no
 * severity word, and text is cut at 2000 bytes.
 */
import { msg, msgOutputAdd, MSG_INFO, type MsgLevel } from './msg.js';
import { unsafe } from './safe.js';
import { cString, libc } from './sys_libc.js';

/* openlog() options and syslog() priorities from <syslog.h>. */
export const LOG_PID = 0x01;
export const LOG_CONS = 0x02;
export const LOG_NDELAY = 0x08;

export const LOG_CRIT = 2;
export const LOG_ERR = 3;
export const LOG_WARNING = 4;
export const LOG_INFO = 6;

export const LOG_KERN = 0 << 3;
export const LOG_USER = 1 << 3;
export const LOG_MAIL = 2 << 3;
export const LOG_DAEMON = 3 << 3;

/** The facility Postfix logs to unless syslog_facility says otherwise. */
export const LOG_FACILITY = LOG_MAIL;

/* Stay a little below the 2048-byte record limit of some old syslog() implementations. */
const MSG_SYSLOG_RECLEN = 2000;

/* The names that syslog_facility accepts: those that Linux defines. */
const FACILITY_BY_NAME = new Map<string, number>([
  ['auth', 4 << 3], ['authpriv', 10 << 3], ['cron', 9 << 3], ['daemon', LOG_DAEMON], ['ftp', 11 << 3],
  ['kern', LOG_KERN], ['lpr', 6 << 3], ['mail', LOG_MAIL], ['news', 7 << 3], ['syslog', 5 << 3],
  ['user', LOG_USER], ['uucp', 8 << 3],
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((n): [string, number] => [`local${n}`, (16 + n) << 3]),
]);

const LOG_LEVEL = [LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT, LOG_CRIT];
const SEVERITY_NAME = ['info', 'warning', 'error', 'fatal', 'panic'];

let facility = 0; // 0: the facility given to openlog()
let enabled = false;
let firstCall = true;
// glibc keeps the pointer that openlog() gets, not a copy: the tag must stay alive.
let ident: Buffer | undefined;

function syslogPrint(level: MsgLevel, text: string): void {
  if (!enabled) return;
  const priority = LOG_LEVEL[level];
  if (priority === undefined) msg.panic(`msg_syslog_print: invalid severity level: ${level}`);
  // "%.*s" stops at a NUL byte, as it does for Postfix; the terminator keeps it in bounds.
  const body = cString(text);
  if (level === MSG_INFO) {
    libc().syslog(facility | priority, '%.*s', 'int', MSG_SYSLOG_RECLEN, 'void *', body);
  } else {
    libc().syslog(facility | priority, '%s: %.*s', 'const char *', SEVERITY_NAME[level], 'int', MSG_SYSLOG_RECLEN, 'void *', body);
  }
}

/**
 * Postfix: msg_syslog_init(). Opens the log connection now (LOG_NDELAY), so that it still
 * works after a chroot. May be called again to change the tag; a tag that already shows a
 * process id ("name[pid]") drops LOG_PID.
 */
export function msgSyslogInit(name: string, logopt: number, logFacility: number): void {
  if (firstCall) {
    // A set-gid program must not let the user choose a time zone file for it.
    if (unsafe()) delete process.env.TZ;
    libc().tzset();
  }
  const options = name.includes('[') ? logopt & ~LOG_PID : logopt;
  ident = cString(name);
  libc().openlog(ident, LOG_NDELAY | options, logFacility);
  if (firstCall) {
    firstCall = false;
    msgOutputAdd(syslogPrint);
  }
  enabled = true;
}

/** Postfix: msg_syslog_set_facility(). False for an unknown facility name. */
export function msgSyslogSetFacility(name: string): boolean {
  const value = FACILITY_BY_NAME.get(name);
  if (value === undefined) return false;
  facility = value;
  return true;
}

/** Postfix: msg_syslog_disable(); until the next msgSyslogInit(). */
export function msgSyslogDisable(): void {
  enabled = false;
}
