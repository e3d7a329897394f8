/*
 * maillog_client - send diagnostics to the mail log: syslog, or maillog_file via postlogd.
 * Counterpart: postfix/src/global/maillog_client.c. Exactly one mode is active at a time
 * (two would let postlogd log its own records in a loop). Before main.cf is read, the
 * mode follows POSTLOG_SERVICE in the environment; after, it follows maillog_file. In
 * postlog mode the service path and host name are exported for child processes.
 * Deliberate difference: main.cf's syslog_facility is applied here (Postfix: mail_params_init).
 */
import { msgLoggerControl, msgLoggerInit, MSG_LOGGER_CTL_CONNECT_NOW, MSG_LOGGER_CTL_DISABLE } from '../util/msg_logger.js';
import { msgSyslogDisable, msgSyslogInit, msgSyslogSetFacility, LOG_FACILITY, LOG_PID } from '../util/msg_syslog.js';
import { msg } from '../util/msg.js';
import { logwriterOneShot } from '../util/logwriter.js';
import { safeGetenv } from '../util/safe.js';
import { strerror } from '../util/strerror.js';
import { configDict, mailConfList, mailConfStr, MAIN_CONF_FILE } from './mail_conf.js';
import { VAR_CONFIG_DIR } from './mail_params.js';
import { mailTask } from './mail_task.js';

export const MAILLOG_CLIENT_FLAG_NONE = 0;
/** Write maillog_file directly when postlogd is not running (postfix, postlog, postsuper). */
export const MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK = 1;

export const POSTLOG_SERVICE_ENV = 'POSTLOG_SERVICE';
export const POSTLOG_HOSTNAME_ENV = 'POSTLOG_HOSTNAME';
const MAIL_CLASS_PUBLIC = 'public';

/* maillog_file as last read from main.cf; undefined before main.cf is read. */
let maillogFile: string | undefined;
let fallbackGuard = false;

/**
 * Postfix: maillog_client_logwriter_fallback(). Append the record to maillog_file, or die.
 * Before main.cf is read there is no file to fall back to: the record then reaches only the
 * other outputs (stderr, when the program reports there).
 */
function logwriterFallback(record: string): void {
  if (fallbackGuard || maillogFile === undefined || maillogFile === '') return;
  const err = logwriterOneShot(maillogFile, record);
  if (err !== undefined) {
    fallbackGuard = true;
    msg.fatal(`logfile '${maillogFile}' write error: ${strerror(err)}`);
  }
}

/** True once main.cf has been read (Postfix: var_maillog_file is no longer a null pointer). */
function configRead(): boolean {
  return configDict.has(VAR_CONFIG_DIR);
}

/** An environment variable, or undefined when it is missing, empty, or we are set-id. */
function importEnv(name: string): string | undefined {
  const value = safeGetenv(name);
  return value === '' ? undefined : value;
}

/**
 * Postfix: maillog_client_init(). Call it before main.cf is read, and again after, with
 * the tag (the name prepended to records) as it then stands.
 */
export function maillogClientInit(tag: string, flags: number): void {
  const importServicePath = importEnv(POSTLOG_SERVICE_ENV);
  const importHostname = importEnv(POSTLOG_HOSTNAME_ENV);
  const configured = configRead();
  if (configured) {
    maillogFile = mailConfStr('maillog_file');
    const facility = mailConfStr('syslog_facility');
    if (!msgSyslogSetFacility(facility)) {
      msg.fatal(`file ${mailConfStr(VAR_CONFIG_DIR)}/${MAIN_CONF_FILE}: parameter syslog_facility: unrecognized value: ${facility}`);
    }
  }
  const postlogMode = configured ? maillogFile !== '' : importServicePath !== undefined;

  if (postlogMode) {
    if (configured && maillogFile !== '') {
      const file = maillogFile!;
      if (!mailConfList('maillog_file_prefixes').some((prefix) => file.startsWith(prefix))) {
        msg.fatal(`maillog_file value '${file}' does not match any prefix in maillog_file_prefixes`);
      }
    }
    const myhostname = (configured ? mailConfStr('myhostname') : '') || importHostname || 'amnesiac';
    const servicePath = configured
      ? `${mailConfStr('queue_directory')}/${MAIL_CLASS_PUBLIC}/${mailConfStr('postlog_service_name')}`
      : importServicePath!;
    msgLoggerInit(tag, myhostname, servicePath,
      flags & MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK ? logwriterFallback : undefined);
    // Children can then log to postlogd before they have read main.cf.
    if (servicePath !== importServicePath) process.env[POSTLOG_SERVICE_ENV] = servicePath;
    if (myhostname !== importHostname) process.env[POSTLOG_HOSTNAME_ENV] = myhostname;
    msgLoggerControl(MSG_LOGGER_CTL_CONNECT_NOW);
    msgSyslogDisable();
  } else {
    msgLoggerControl(MSG_LOGGER_CTL_DISABLE);
    // A child must not start out logging to postlogd.
    if (importServicePath !== undefined) delete process.env[POSTLOG_SERVICE_ENV];
    if (importHostname !== undefined) delete process.env[POSTLOG_HOSTNAME_ENV];
    msgSyslogInit(tag, LOG_PID, LOG_FACILITY);
  }
}

/** The tag for a program name, as mail_task() makes it. */
export function maillogTag(argv0: string): string {
  return mailTask(argv0);
}
