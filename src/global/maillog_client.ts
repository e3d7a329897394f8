/*
 * maillog_client - send diagnostics to the mail log: syslog, or maillog_file via postlogd.
 * Counterpart: postfix/src/global/maillog_client.c.
 * XXX Foundation version: registers the log as a msg output, so that programs that only
 * report to the log stay silent on a non-terminal stderr exactly as Postfix's do; the
 * records themselves are sent nowhere until the logging issue (5) adds syslog and postlogd.
 */
import { msgOutputAdd, type MsgLevel } from '../util/msg.js';
import { mailTask } from './mail_task.js';

export const MAILLOG_CLIENT_FLAG_NONE = 0;
/** Write maillog_file directly when postlogd is not running (postfix, postlog, postsuper). */
export const MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK = 1;

let registered = false;
let logTag = 'postfix';

/** Postfix: maillog_client_init(); may be called again after main.cf is read. */
export function maillogClientInit(tag: string, _flags: number): void {
  logTag = tag;
  if (registered) return;
  registered = true;
  msgOutputAdd((_level: MsgLevel, _text: string) => {
    void logTag; // XXX the logging issue sends the record; see the header comment
  });
}

/** The tag for a program name, as mail_task() makes it. */
export function maillogTag(argv0: string): string {
  return mailTask(argv0);
}
