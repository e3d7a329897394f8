#!/usr/bin/env node
/*
 * NAME
 *	postlogd - Postfix internal log server
 * SYNOPSIS
 *	postlogd [generic Postfix daemon options]
 * DESCRIPTION
 *	postlogd writes the mail log on behalf of the other Postfix programs when main.cf sets
 *	maillog_file. Programs send each record as one datagram to the postlog service
 *	(public/postlog); postlogd appends it, with a newline, to $maillog_file. Being a
 *	datagram service, it can be restarted (postfix reload) without losing records: they
 *	wait in the socket until the next postlogd process reads them.
 *
 *	When maillog_file is empty (after a reload that removed it, while programs still use
 *	the old setting), postlogd passes the records on to syslog under the name and process
 *	id that each record carries.
 *
 *	postlogd takes no command-line arguments of its own. It does not retire after a
 *	number of records, only when idle.
 * BUGS
 *	Programs that are not daemons log to syslog until they have read main.cf.
 *
 *	When Postfix is down, postfix(1), postsuper(1), postmulti(1) and postlog(1) append to
 *	$maillog_file themselves; they are meant to run as root. Other commands never write
 *	the file directly; they reach postlogd when run by root, or set-gid postdrop (only
 *	postdrop(1), postqueue(1) and postlog(1) should be).
 * CONFIGURATION PARAMETERS
 *	Changes to main.cf are picked up as postlogd processes are replaced; "postfix reload"
 *	makes that immediate.
 *
 *	config_directory, maillog_file, maillog_file_prefixes, process_id, process_name,
 *	syslog_name, service_name, postlogd_watchdog_timeout
 * SEE ALSO
 *	postconf(5), postlog(1), syslogd(8)
 */
import { msg } from '../util/msg.js';
import { logwriterOpenOrDie, logwriterWrite } from '../util/logwriter.js';
import { msgLoggerControl, MSG_LOGGER_CTL_FALLBACK_ONLY } from '../util/msg_logger.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { mailConfLookup, mailConfStr, mailConfTime } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { dgramServerMain } from '../master/dgram_server.js';
import { mailServerLimits } from '../master/mail_server.js';

/* The open maillog_file, or undefined when records go on to syslog. */
let postlogdFd: number | undefined;
/* Our own logging identity, to return to after logging as a client. */
let ownTag = 'postfix/postlogd';

/** Our own diagnostics, once we read the socket ourselves: straight into the file. */
function postlogdFallback(record: string): void {
  logwriterWrite(postlogdFd!, record);
}

const SPACE = ' \t\r\n';

/** Postfix: mystrtok(): the next token of text from pos on, and where the scan stopped. */
function nextToken(text: string, pos: number, separators: string): [string | undefined, number] {
  while (pos < text.length && separators.includes(text[pos]!)) pos++;
  if (pos >= text.length) return [undefined, pos];
  let end = pos;
  while (end < text.length && !separators.includes(text[end]!)) end++;
  return [text.slice(pos, end), end < text.length ? end + 1 : end];
}

/**
 * Postfix: postlogd_service(). One record from a client: append it to maillog_file, or,
 * without one, strip "Mmm dd hh:mm:ss host " and pass the text to syslog as "name[pid]".
 */
export function postlogdService(record: Buffer, _service: string, _argv: readonly string[]): void {
  if (postlogdFd !== undefined) {
    logwriterWrite(postlogdFd, record); // a full disk must not kill the logger
    return;
  }
  // Like the C code, look no further than a NUL byte.
  const all = record.toString('latin1');
  const text = all.slice(0, all.indexOf('\0') < 0 ? undefined : all.indexOf('\0'));
  let pos = 0;
  for (let field = 0; field < 4; field++) pos = nextToken(text, pos, SPACE)[1]; // month, day, time, host
  const [prognamePid, after] = nextToken(text, pos, `:${SPACE}`);
  pos = after;
  while (pos < text.length && SPACE.includes(text[pos]!)) pos++;
  // A name with "[pid]" in it makes the syslog client leave out our own pid.
  if (prognamePid !== undefined) maillogClientInit(prognamePid, MAILLOG_CLIENT_FLAG_NONE);
  msg.info(text.slice(pos));
  maillogClientInit(ownTag, MAILLOG_CLIENT_FLAG_NONE);
}

/**
 * Postfix: pre_jail_init(). With maillog_file set, open it (or die), and from now on write
 * our own records there too: sending them to our own socket would loop.
 */
function postlogdPreInit(_service: string, argv: readonly string[]): void {
  ownTag = mailTask(mailConfLookup('process_name') ?? 'postlogd');
  if (argv.length > 0) msg.fatal(`unexpected command-line argument: ${argv[0]}`);
  const maillogFile = mailConfStr('maillog_file');
  if (maillogFile !== '') {
    postlogdFd = logwriterOpenOrDie(maillogFile);
    msgLoggerControl(MSG_LOGGER_CTL_FALLBACK_ONLY, { fallbackFn: postlogdFallback });
  }
}

/** Postfix: post_jail_init(). Retire when idle, never after a number of records. */
function postlogdPostInit(): void {
  mailServerLimits.max_use = 0;
}

export const main = (argv: string[]): Promise<never> => dgramServerMain(argv, postlogdService, {
  params: ['postlogd_watchdog_timeout'],
  preInit: postlogdPreInit,
  postInit: postlogdPostInit,
  solitary: true,
  // Read when the skeleton sets the watchdog up, after main.cf has been read.
  get watchdog() {
    return mailConfTime('postlogd_watchdog_timeout');
  },
});

if (isMainModule(import.meta.url)) await main(programArgv());
