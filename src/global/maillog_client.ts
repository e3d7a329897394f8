/*
 * maillog_client - send diagnostics to the mail log: syslog, or maillog_file via postlogd.
 * Counterpart: postfix/src/global/maillog_client.c. Chooses one logging mode, as Postfix
 * does: postlogd when POSTLOG_SERVICE is imported (or, later, maillog_file is set), else
 * syslog. XXX The postlogd client (msg_logger) and maillog_file come with the logging
 * issue; until then the postlog mode sends records nowhere.
 */
import { msgSyslogDisable, msgSyslogInit, LOG_FACILITY, LOG_PID } from '../util/msg_syslog.js';
import { msgOutputAdd } from '../util/msg.js';
import { safeGetenv } from '../util/safe.js';
import { mailTask } from './mail_task.js';

export const MAILLOG_CLIENT_FLAG_NONE = 0;
/** Write maillog_file directly when postlogd is not running (postfix, postlog, postsuper). */
export const MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK = 1;

const POSTLOG_SERVICE_ENV = 'POSTLOG_SERVICE';
const POSTLOG_HOSTNAME_ENV = 'POSTLOG_HOSTNAME';

let postlogRegistered = false;

/**
 * Postfix: maillog_client_init(); called again after main.cf is read, to update the tag.
 * XXX The syslog_facility parameter is applied by mail_params (msgSyslogSetFacility) once
 * the configuration issue builds it; until then records go to the mail facility.
 */
export function maillogClientInit(tag: string, _flags: number): void {
  const importServicePath = safeGetenv(POSTLOG_SERVICE_ENV) || undefined;
  const importHostname = safeGetenv(POSTLOG_HOSTNAME_ENV) || undefined;
  if (importServicePath !== undefined) {
    // XXX msg_logger_init(tag, hostname, service path, fallback) goes here. The log is
    // still an output, so that programs that report only there stay silent on stderr.
    if (!postlogRegistered) msgOutputAdd(() => undefined);
    postlogRegistered = true;
    msgSyslogDisable();
    return;
  }
  // Syslog mode: a child process must not start out logging to postlogd.
  if (importHostname !== undefined) delete process.env[POSTLOG_HOSTNAME_ENV];
  msgSyslogInit(tag, LOG_PID, LOG_FACILITY);
}

/** The tag for a program name, as mail_task() makes it. */
export function maillogTag(argv0: string): string {
  return mailTask(argv0);
}
