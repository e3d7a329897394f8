#!/usr/bin/env node
/*
 * NAME
 *	postlog - Postfix-compatible logging utility
 * SYNOPSIS
 *	postlog [-iv] [-c config_dir] [-p priority] [-t tag] [text...]
 * DESCRIPTION
 *	postlog writes a record to the Postfix mail log, for shell scripts and the like. The
 *	text on the command line, its words joined by single spaces, becomes one record;
 *	without text, each line of standard input becomes a record of its own, as it arrives.
 *
 *	Records go where Postfix's own logging goes: to syslogd(8), or, when maillog_file is
 *	set, to postlogd(8), and straight into maillog_file when postlogd is not running.
 *	When standard error is a terminal, each record is shown there as well.
 *
 *	Options:
 *	-c config_dir
 *		Read main.cf from config_dir instead of the default configuration directory.
 *	-i
 *		Ignored; kept for compatibility (the process id is always logged).
 *	-p priority
 *		The severity of the records: info (the default), warn or warning, error or err,
 *		fatal or crit, or panic; case does not matter. After fatal or panic records the
 *		command pauses for one second, as other Postfix programs do after such errors.
 *	-t tag
 *		The name that the records carry, instead of the default "$syslog_name/postlog".
 *		Unprintable characters in it are replaced by "?".
 *	-v
 *		Verbose logging, for debugging; more -v options give more detail.
 * SECURITY
 *	postlog is installed set-group-id postdrop so that any user can reach the postlogd
 *	socket in the public directory. It does not believe the name it was invoked by, nor
 *	the environment: MAIL_LOGTAG, POSTLOG_SERVICE and TZ are ignored, the environment is
 *	reduced to import_environment once main.cf is read, and a non-default configuration
 *	directory must be listed in alternate_config_directories (or
 *	multi_instance_directories) in the default main.cf.
 * DIAGNOSTICS
 *	Problems are reported like the records: to the log, and to standard error when that
 *	is a terminal. The exit status is 0 once the records are logged, 1 after an error.
 * ENVIRONMENT
 *	MAIL_CONFIG
 *		Directory with the main.cf file.
 * CONFIGURATION PARAMETERS
 *	config_directory, import_environment, syslog_facility, syslog_name, maillog_file,
 *	maillog_file_prefixes, postlog_service_name
 * SEE ALSO
 *	postconf(5), postlogd(8), syslogd(8)
 */
import { readSync } from 'node:fs';
import { isatty } from 'node:tty';
import { cleanEnv } from '../util/clean_env.js';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgPrintf, msgVstreamInit, MSG_ERROR, MSG_FATAL, MSG_INFO, MSG_PANIC, MSG_WARN, type MsgLevel } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { printable, setUtilUtf8Enable } from '../util/printable.js';
import { CONF_ENV_PATH, mailConfBool, mailConfRead, mailConfStr } from '../global/mail_conf.js';
import { mailParmSplit } from '../global/mail_parm_split.js';
import { mailTask } from '../global/mail_task.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';

const POSTLOG_CMD = 'postlog';

/* The names -p accepts, matched without regard to case. */
const LEVEL_TABLE: ReadonlyArray<[string, MsgLevel]> = [
  ['info', MSG_INFO], ['warn', MSG_WARN], ['warning', MSG_WARN], ['error', MSG_ERROR], ['err', MSG_ERROR],
  ['fatal', MSG_FATAL], ['crit', MSG_FATAL], ['panic', MSG_PANIC],
];

function levelMap(name: string): MsgLevel {
  const found = LEVEL_TABLE.find(([text]) => text.toLowerCase() === name.toLowerCase());
  return found === undefined ? msg.fatal(`bad severity: "${name}"`) : found[1];
}

/** A C string: what "%s" prints of an input line with a NUL in it. */
const cString = (text: string) => text.split('\0', 1)[0]!;

/** Lines of standard input as they arrive, without their newline; a last partial line too. */
function* inputLines(): Generator<string> {
  const block = Buffer.alloc(8192);
  let pending = '';
  for (;;) {
    let n: number;
    try {
      n = readSync(0, block, 0, block.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // Someone made our standard input non-blocking; wait a little instead of spinning.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      // A read error ends the input, as it does for vstring_get_nonl().
      break;
    }
    if (n === 0) break;
    pending += block.toString('latin1', 0, n);
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
  }
  if (pending !== '') yield pending;
}

function sleepOneSecond(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

export function main(argv: string[]): never {
  process.umask(0o022);
  // Set-gid: the name we were invoked by is the user's choice, not ours.
  argv[0] = POSTLOG_CMD;
  let tag = mailTask(argv[0]);
  if (isatty(2)) msgVstreamInit(tag, 2);
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);

  let level: MsgLevel = MSG_INFO;
  let unsanitizedTag: string | undefined;
  const opts = new Getopt(argv, '+c:ip:t:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'i':
        break;
      case 'p':
        level = levelMap(opts.optarg!);
        break;
      case 't':
        unsanitizedTag = opts.optarg!;
        break;
      case 'v':
        msg.verbose++;
        break;
      default:
        msg.fatal(`usage: ${argv[0]} [-c config_dir] [-i] [-p priority] [-t tag] [-v] [text]`);
    }
  }

  // main.cf may change syslog_name, and with it the default tag.
  mailConfRead();
  setUtilUtf8Enable(mailConfBool('smtputf8_enable'));
  tag = mailTask(POSTLOG_CMD);
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_NONE);

  // Set-gid: keep only what import_environment allows.
  cleanEnv(mailParmSplit('import_environment', mailConfStr('import_environment')));

  if (unsanitizedTag !== undefined) tag = printable(unsanitizedTag, '?');
  if (isatty(2)) msgVstreamInit(tag, 2);
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);

  const words = opts.rest();
  if (words.length > 0) {
    msgPrintf(level, words.join(' '));
  } else {
    for (const line of inputLines()) msgPrintf(level, cString(line));
  }
  // Like msg.fatal() and msg.panic(), but without their exit status.
  if (level >= MSG_FATAL) sleepOneSecond();
  process.exit(0);
}

if (isMainModule(import.meta.url)) main(programArgv());
