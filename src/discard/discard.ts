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
import { strerror } from '../util/strerror.js';
import { singleServerMain, type ServiceStream } from '../master/single_server.js';
import { deliverCompleted } from '../global/deliver_completed.js';
import {
  DEL_REQ_FLAG_SUCCESS, delReqTraceFlags, deliverRequestDone, openQueueFileRw, readDeliverRequest,
  type DeliverRequest,
} from '../global/deliver_request.js';
import { NO_RELAY_AGENT } from '../global/bounce.js';
import { dsnSimple } from '../global/dsn.js';
import { dsnSplit } from '../global/dsn_util.js';
import { flushInit } from '../global/flush_clnt.js';
import { queueLayoutFromConfig } from '../global/mail_queue.js';
import { sent } from '../global/sent.js';

/* Postfix: deliver_message(): every recipient is "sent". */
async function discardRecipients(request: DeliverRequest): Promise<number> {
  const myname = 'deliver_message';
  if (msg.verbose) msg.info(`deliver_message: from ${request.sender}`);
  if (request.nexthop === '') msg.fatal('empty nexthop hostname');
  if (request.rcpt_list.length <= 0) msg.fatal(`recipient count: ${request.rcpt_list.length}`);

  // Rather than throw mail away when the system is short of resources, die: the queue
  // manager backs off and tries again later.
  const src = await openQueueFileRw(queueLayoutFromConfig(), request.queue_name, request.queue_id)
    .catch((err) => msg.fatal(`${myname}: open ${request.queue_name} ${request.queue_id}: ${strerror(err)}`));
  if (msg.verbose) msg.info(`${myname}: file ${src.path}`);

  const dp = dsnSplit('2.0.0', request.nexthop);
  const dsn = dsnSimple(dp.dsn, dp.text);
  let result = 0;
  for (const rcpt of request.rcpt_list) {
    const status = await sent(delReqTraceFlags(request.flags), request.queue_id, request.msg_stats, rcpt, NO_RELAY_AGENT, dsn);
    if (status === 0 && request.flags & DEL_REQ_FLAG_SUCCESS) await deliverCompleted(src.file, src.path, rcpt.offset);
    result |= status;
  }
  await src.file.close().catch((err) => msg.warn(`close ${request.queue_name} ${request.queue_id}: ${strerror(err)}`));
  return result;
}

/* Postfix: discard_service(). */
async function discardService(stream: ServiceStream, _service: string, argv: string[]): Promise<void> {
  if (argv.length > 0) msg.fatal(`unexpected command-line argument: ${argv[0]}`);
  const request = await readDeliverRequest(stream);
  if (request === null) return;
  await deliverRequestDone(stream, request, await discardRecipients(request));
}

export const main = (argv: string[]): Promise<never> => singleServerMain(argv, discardService, { preInit: flushInit });

if (isMainModule(import.meta.url)) await main(programArgv());
