#!/usr/bin/env node
/*
 * NAME
 *	discard - Postfix discard mail delivery agent
 * SYNOPSIS
 *	discard [generic Postfix daemon options]
 * DESCRIPTION
 *	The discard delivery agent takes delivery requests from the queue manager and
 *	reports every recipient as delivered, without delivering anything. The next-hop
 *	text of the request (from transport(5) or default_transport, e.g.
 *	"discard:no such list") becomes the reason in the log: a leading RFC 3463 status
 *	code there replaces the default 2.0.0.
 *
 *	Each recipient is logged as "status=sent" with relay=none, and marked done in the
 *	queue file when the queue manager asked for that. For address verification probes
 *	the result goes to the verify service, for sendmail -bv to the trace service.
 *
 *	discard runs under the single-server skeleton; it takes no command-line arguments
 *	of its own.
 * SECURITY
 *	discard touches no mailbox and talks to no other host. It runs with the mail
 *	owner's privileges (unprivileged), optionally chrooted.
 * STANDARDS
 *	RFC 3463 (Enhanced status codes)
 * DIAGNOSTICS
 *	Problems and transactions are logged to syslogd(8) or postlogd(8). A queue file
 *	that cannot be opened is fatal, so that the message stays queued and is tried again.
 * CONFIGURATION PARAMETERS
 *	daemon_timeout (18000s)
 *		How much time a daemon process may take to handle a request.
 *	delay_logging_resolution_limit (2)
 *		The number of decimals in the delay and delays figures of the log line.
 *	info_log_address_format (external)
 *		Whether addresses in the log line are quoted as on the wire.
 *	ipc_timeout (3600s)
 *		Time limit for I/O with internal services.
 *	max_idle (100s), max_use (100)
 *		When an idle or busy daemon process retires.
 *	queue_directory, process_name, syslog_facility, syslog_name
 *		The usual.
 * SEE ALSO
 *	qmgr(8), bounce(8), error(8), master(5), master(8), transport(5)
 */
import { isMainModule, programArgv } from '../util/main_module.js';
import { msg } from '../util/msg.js';
import { singleServerMain, type ServiceStream } from '../master/single_server.js';
import { DEL_REQ_FLAG_SUCCESS, deliverRequestDone, readDeliverRequest } from '../global/deliver_request.js';
import { deliverUniform } from '../global/deliver_uniform.js';
import { flushInit } from '../global/flush_clnt.js';
import { sent } from '../global/sent.js';

/* Postfix: discard_service(): every recipient is "sent", marked done only on request. */
async function discardService(stream: ServiceStream, _service: string, argv: string[]): Promise<void> {
  if (argv.length > 0) msg.fatal(`unexpected command-line argument: ${argv[0]}`);
  const request = await readDeliverRequest(stream);
  if (request === null) return;
  const status = await deliverUniform(request, '2.0.0', sent, (request.flags & DEL_REQ_FLAG_SUCCESS) !== 0);
  await deliverRequestDone(stream, request, status);
}

export const main = (argv: string[]): Promise<never> => singleServerMain(argv, discardService, { preInit: flushInit });

if (isMainModule(import.meta.url)) await main(programArgv());
