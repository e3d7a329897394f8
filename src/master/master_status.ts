/*
 * master_status - the status channel of a service: one socket pair per service, whose
 * child end every child of the service inherits as descriptor 5. Children report TAKEN
 * and AVAIL there; master believes only reports that carry the generation it gave the pid.
 * Counterpart: postfix/src/master/master_status.c. Closing master's end on a reload or
 * restart tells the children of the old generation to finish and exit.
 */
import { closeSync, readSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { isErrno, strerror } from '../util/strerror.js';
import { duplexPipe } from '../util/duplex_pipe.js';
import { MASTER_STATUS_SIZE, MASTER_STAT_AVAIL, MASTER_STAT_TAKEN, decodeMasterStatus } from './master_proto.js';
import type { MasterServ } from './master_ent.js';
import { readWatch } from './master_events.js';
import { masterAvailLess, masterAvailMore } from './master_avail.js';
import { masterChildTable } from './master_spawn.js';

/** Postfix: master_status_event(). */
function masterStatusEvent(serv: MasterServ): void {
  const myname = 'master_status_event';
  const buf = Buffer.alloc(MASTER_STATUS_SIZE);
  let n: number;
  try {
    n = readSync(serv.statusFd[0], buf, 0, buf.length, null);
  } catch (err) {
    if (isErrno(err, 'EAGAIN')) return; // another event got there first
    msg.warn(`${myname}: read: ${strerror(err)}`);
    return;
  }
  if (n === 0) msg.panic(`${myname}: read EOF status`);
  if (n !== MASTER_STATUS_SIZE) {
    const pid = n >= 4 ? buf.readInt32LE(0) : 0;
    msg.warn(`service ${serv.extName}(${serv.name}): child (pid ${pid}) sent partial status update (${n} bytes)`);
    return;
  }
  const stat = decodeMasterStatus(buf)!;
  if (msg.verbose) msg.info(`${myname}: pid ${stat.pid} gen ${stat.gen} avail ${stat.avail}`);

  // A status update can arrive after the child was reaped: not an error.
  const proc = masterChildTable.get(stat.pid);
  if (proc === undefined) {
    if (msg.verbose) msg.info(`${myname}: process id not found: ${stat.pid}`);
    return;
  }
  if (proc.gen !== stat.gen) {
    msg.info(`ignoring status update from child pid ${stat.pid} generation ${stat.gen}`);
    return;
  }
  if (proc.serv !== serv) msg.panic(`${myname}: pointer corruption: ${proc.serv.name} != ${serv.name}`);

  // Redundant updates are fine: events may be handled out of order.
  if (proc.avail === stat.avail) return;
  switch (stat.avail) {
    case MASTER_STAT_AVAIL:
      proc.useCount++;
      masterAvailMore(serv, proc);
      break;
    case MASTER_STAT_TAKEN:
      masterAvailLess(serv, proc);
      break;
    default:
      msg.warn(`${myname}: ignoring unknown status: ${stat.pid} allegedly from pid: ${stat.avail}`);
      break;
  }
}

/** Postfix: master_status_init(). */
export function masterStatusInit(serv: MasterServ): void {
  const myname = 'master_status_init';
  if (serv.statusFd[0] >= 0 || serv.statusFd[1] >= 0) msg.panic(`${myname}: status events already enabled`);
  if (msg.verbose) msg.info(`${myname}: ${serv.name}`);
  try {
    serv.statusFd = duplexPipe();
  } catch (err) {
    msg.fatal(`pipe: ${strerror(err)}`);
  }
  serv.statusWatch = readWatch(serv.statusFd[0], () => masterStatusEvent(serv));
  serv.statusWatch.start();
}

/** Postfix: master_status_cleanup(). */
export function masterStatusCleanup(serv: MasterServ): void {
  const myname = 'master_status_cleanup';
  if (serv.statusFd[0] < 0 || serv.statusFd[1] < 0) msg.panic(`${myname}: status events not enabled`);
  if (msg.verbose) msg.info(`${myname}: ${serv.name}`);
  serv.statusWatch?.close();
  serv.statusWatch = null;
  try {
    closeSync(serv.statusFd[0]);
  } catch (err) {
    msg.warn(`${myname}: close status descriptor (read side): ${strerror(err)}`);
  }
  try {
    closeSync(serv.statusFd[1]);
  } catch (err) {
    msg.warn(`${myname}: close status descriptor (write side): ${strerror(err)}`);
  }
  serv.statusFd = [-1, -1];
}
