/*
 * mail_task - the logging identity "syslog_name/program".
 * Counterpart: postfix/src/global/mail_task.c. MAIL_LOGTAG from the environment wins
 * (it is how master and set-gid programs pass syslog_name on); it is ignored in a set-id
 * process, like safe_getenv() does.
 */
import { basename } from 'node:path';
import { safeGetenv } from '../util/safe.js';

let syslogName: string | undefined;

/** Set once main.cf has been read (var_syslog_name). */
export function setMailTaskSyslogName(name: string): void {
  syslogName = name;
}

/** Postfix: mail_task(). */
export function mailTask(argv0: string): string {
  const name = basename(argv0) || argv0;
  const tag = safeGetenv('MAIL_LOGTAG') ?? syslogName ?? 'postfix';
  return `${tag}/${name}`;
}
