#!/usr/bin/env node
/*
 * NAME
 *	error - Postfix error/retry mail delivery agent
 * SYNOPSIS
 *	error [generic Postfix daemon options]
 * DESCRIPTION
 *	The error delivery agent takes delivery requests from the queue manager and fails
 *	every recipient. As the "error" service it bounces them: the bounce service records
 *	them and later tells the sender. As the "retry" service it defers them: the defer
 *	service records them and the message stays queued.
 *
 *	The next-hop text of the request (from transport(5), e.g. "error:5.1.1 mailbox
 *	unavailable") becomes the reason; a leading RFC 3463 status code there replaces
 *	the default 5.0.0 (error) or 4.0.0 (retry). Each recipient is logged with relay=none
 *	and status=bounced or status=deferred.
 *
 *	error runs under the single-server skeleton; it takes no command-line arguments of
 *	its own. Which of the two it is comes from its master.cf service name.
 * SECURITY
 *	error touches no mailbox and talks to no other host. It runs with the mail owner's
 *	privileges (unprivileged), optionally chrooted.
 * STANDARDS
 *	RFC 3463 (Enhanced status codes)
 * DIAGNOSTICS
 *	Problems and transactions are logged to syslogd(8) or postlogd(8). A service name
 *	other than error or retry is fatal ("bad error service name").
 * CONFIGURATION PARAMETERS
 *	bounce_service_name (bounce), defer_service_name (defer)
 *		The services that record bounced and deferred recipients.
 *	daemon_timeout (18000s)
 *		How much time a daemon process may take to handle a request.
 *	delay_logging_resolution_limit (2)
 *		The number of decimals in the delay and delays figures of the log line.
 *	fast_flush_domains ($relay_domains)
 *		Destinations whose deferred mail is reported to the flush service.
 *	ipc_timeout (3600s)
 *		Time limit for I/O with internal services.
 *	max_idle (100s), max_use (100)
 *		When an idle or busy daemon process retires.
 *	soft_bounce (no)
 *		Defer instead of bouncing, for testing.
 *	queue_directory, process_name, syslog_facility, syslog_name
 *		The usual.
 * SEE ALSO
 *	qmgr(8), bounce(8), discard(8), master(5), master(8), transport(5)
 */
import { isMainModule, programArgv } from '../util/main_module.js';
import { msg } from '../util/msg.js';
import { singleServerMain, type ServiceStream } from '../master/single_server.js';
import { bounceAppend } from '../global/bounce.js';
import { deferAppend } from '../global/defer.js';
import { deliverRequestDone, readDeliverRequest } from '../global/deliver_request.js';
import { deliverUniform } from '../global/deliver_uniform.js';
import { flushInit } from '../global/flush_clnt.js';
import { MAIL_SERVICE_ERROR, MAIL_SERVICE_RETRY } from '../global/mail_proto.js';

/* Postfix: error_service(): every recipient bounced ("error") or deferred ("retry"). */
async function errorService(stream: ServiceStream, service: string, argv: string[]): Promise<void> {
  if (argv.length > 0) msg.fatal(`unexpected command-line argument: ${argv[0]}`);
  const request = await readDeliverRequest(stream);
  if (request === null) return;
  let status: number;
  if (service === MAIL_SERVICE_ERROR) status = await deliverUniform(request, '5.0.0', bounceAppend, true);
  else if (service === MAIL_SERVICE_RETRY) status = await deliverUniform(request, '4.0.0', deferAppend, true);
  else return msg.fatal(`bad error service name: ${service}`);
  await deliverRequestDone(stream, request, status);
}

export const main = (argv: string[]): Promise<never> => singleServerMain(argv, errorService, { preInit: flushInit });

if (isMainModule(import.meta.url)) await main(programArgv());
