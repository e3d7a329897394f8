/*
 * not_built_server - what a daemon does until its own issue builds it: report to the
 * standard error stream and to the log identity master would give it, then die.
 * No Postfix counterpart; it goes away when the last daemon is built.
 */
import { basename } from 'node:path';
import { msgVstreamInit } from '../util/msg.js';
import { mailTask } from '../global/mail_task.js';
import { notBuiltYet } from '../global/not_built.js';

export function daemonNotBuiltYet(argv: string[], issue: string): never {
  const name = basename(argv[0] ?? 'unknown');
  msgVstreamInit(mailTask(name), 2);
  return notBuiltYet(`the ${name} daemon`, issue);
}
