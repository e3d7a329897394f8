#!/usr/bin/env node
/*
 * NAME
 *	postkick - kick a Postfix service
 * SYNOPSIS
 *	postkick [-c config_dir] [-v] class service request
 * DESCRIPTION
 *	postkick wakes up a mail system service the way Postfix programs wake each other: it
 *	sends request, a string of one-letter commands, to the endpoint service in the class
 *	directory (public or private) under the queue directory. Over a UNIX-domain socket the
 *	request is followed by a NUL byte and postkick waits until the server closes the
 *	connection (at most application_event_drain_time); over a fifo the bytes go as they are.
 *
 *	The letters mean what the receiving service makes of them; for qmgr(8): W wake up,
 *	I scan the incoming queue, D scan the deferred queue, A ignore deferred-queue time
 *	stamps, F forget dead destinations. pickup(8) ignores the content.
 *
 *	Options:
 *	-c config_dir
 *		Read main.cf from config_dir instead of the default configuration directory.
 *	-v	Verbose logging; more -v options make it more verbose.
 * DIAGNOSTICS
 *	Problems go to standard error. The exit status is non-zero when the service cannot
 *	be contacted ("Cannot contact class ... service ... - perhaps the mail system is
 *	down") and on other errors.
 * ENVIRONMENT
 *	MAIL_CONFIG	Directory with main.cf.
 *	MAIL_VERBOSE	Any value turns on verbose logging.
 * CONFIGURATION PARAMETERS
 *	application_event_drain_time (100s)
 *		How long postkick waits for the server to take the request.
 *	queue_directory
 *		Where the public and private directories are.
 *	trigger_timeout (10s)
 *		Time limit for sending the request.
 * SEE ALSO
 *	qmgr(8), pickup(8), master(5)
 */
import { basename } from 'node:path';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { safeGetenv } from '../util/safe.js';
import { strerror } from '../util/strerror.js';
import { drainTriggers } from '../util/trigger.js';
import { CONF_ENV_PATH, CONF_ENV_VERB, mailConfRead, mailConfStr } from '../global/mail_conf.js';
import { varEventDrain } from '../global/mail_proto.js';
import { mailTrigger } from '../global/mail_trigger.js';

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-c config_dir] [-v] class service request`);
}

export async function main(argv: string[]): Promise<void> {
  if (safeGetenv(CONF_ENV_VERB) !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  const opts = new Getopt(argv, '+c:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'v':
        msg.verbose++;
        break;
      default:
        usage(argv[0]);
    }
  }
  if (argv.length !== opts.optind + 3) usage(argv[0]);
  const [serviceClass, service, request] = argv.slice(opts.optind) as [string, string, string];

  mailConfRead();
  const queueDirectory = mailConfStr('queue_directory');
  try {
    process.chdir(queueDirectory);
  } catch (err) {
    msg.fatal(`chdir ${queueDirectory}: ${strerror(err)}`);
  }

  if (await mailTrigger(serviceClass, service, request) < 0) {
    msg.warn(`Cannot contact class ${serviceClass} service ${service} - perhaps the mail system is down`);
    process.exit(1);
  }
  // Over a socket, closing before the server has read the request could lose it: wait
  // until the server hangs up, within reason.
  await drainTriggers(varEventDrain());
  process.exit(0);
}

if (isMainModule(import.meta.url)) await main(programArgv());
