/*
 * master_exec_failure - the stand-in for a child of master(8) whose program cannot be
 * executed: it logs "fatal: master_spawn: exec <path>: <error>" under its own pid and
 * exits 1, so that master sees what Postfix's master sees (a child that died at once:
 * "exit status 1", then "bad command startup -- throttling").
 * No Postfix counterpart: Postfix's child learns about the error after fork(); with
 * posix_spawn() master learns it, and runs this module in the child's place.
 * Usage: node master_exec_failure.js path errno-name master-argv0
 */
import { basename } from 'node:path';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { LOG_FACILITY, msgSyslogInit } from '../util/msg_syslog.js';
import { isMainModule } from '../util/main_module.js';
import { mailTask } from '../global/mail_task.js';
import { MAILLOG_CLIENT_FLAG_NONE, maillogClientInit } from '../global/maillog_client.js';

export function main(args: readonly string[]): never {
  const [path = '', errnoName = 'ENOENT', masterArgv0 = 'master'] = args;
  if (process.env.POSTLOG_SERVICE) {
    maillogClientInit(mailTask('master'), MAILLOG_CLIENT_FLAG_NONE);
  } else {
    // Postfix's child calls closelog() after fork(): syslog() then opens a connection of
    // its own, named after the program, without the pid.
    msgSyslogInit(basename(masterArgv0), 0, LOG_FACILITY);
  }
  return msg.fatal(`master_spawn: exec ${path}: ${strerror(errnoName)}`);
}

if (isMainModule(import.meta.url)) main(process.argv.slice(2));
