/*
 * master_avail - the policy for watching a service's listen sockets: only while the
 * service has no idle child, is not throttled, and is below its process limit. A client
 * that knocks while master watches makes master start one more child.
 * Counterpart: postfix/src/master/master_avail.c, including the stress mode of public
 * inet services that have reached their process limit.
 */
import { msg } from '../util/msg.js';
import { MASTER_STAT_AVAIL, MASTER_STAT_TAKEN } from './master_proto.js';
import { MASTER_FLAG_LISTEN, MASTER_FLAG_THROTTLE, masterLimitOk, type MasterProc, type MasterServ } from './master_ent.js';
import { readWatch } from './master_events.js';
import { masterDeleteChildren, masterSpawn } from './master_spawn.js';
import { masterRestartService, NO_CONF_RELOAD } from './master_service.js';

const now = () => Math.floor(Date.now() / 1000);

/** Postfix: master_avail_event(). */
function masterAvailEvent(serv: MasterServ): void {
  // A public inet service at its limit: new children run with "-o stress=yes" until the
  // process count stays below the limit for 1000 seconds.
  if (serv.stressArg >= 0 && !masterLimitOk(serv.maxProc, serv.totalProc + 1)) {
    const t = now();
    if (serv.stressExpireTime < t) masterRestartService(serv, NO_CONF_RELOAD);
    serv.stressExpireTime = t + 1000;
  }
  masterSpawn(serv);
}

function watchesOf(serv: MasterServ) {
  if (serv.listenWatch.length === 0) {
    serv.listenWatch = serv.listenFd.slice(0, serv.listenFdCount).map((fd) => readWatch(fd, () => {
      if (serv.flags & MASTER_FLAG_LISTEN) masterAvailEvent(serv);
    }));
  }
  return serv.listenWatch;
}

/** Postfix: master_avail_listen(). */
export function masterAvailListen(serv: MasterServ): void {
  const myname = 'master_avail_listen';
  if (msg.verbose) msg.info(`${myname}: ${serv.name} avail ${serv.availProc} total ${serv.totalProc} max ${serv.maxProc}`);
  let listen: boolean;
  if (serv.flags & MASTER_FLAG_THROTTLE || serv.availProc > 0) {
    listen = false;
  } else if (masterLimitOk(serv.maxProc, serv.totalProc)) {
    listen = true;
  } else {
    listen = false;
    if (serv.stressArg >= 0) {
      const t = now();
      if (serv.busyWarnTime < t - 1000) {
        serv.busyWarnTime = t;
        msg.warn(`service "${serv.extName}" (${serv.name}) has reached its process limit "${serv.maxProc}": `
          + 'new clients may experience noticeable delays');
        msg.warn('to avoid this condition, increase the process count in master.cf or reduce the service time per client');
        msg.warn('see http://www.postfix.org/STRESS_README.html for examples of stress-adapting configuration settings');
      }
    }
  }
  if (listen && !(serv.flags & MASTER_FLAG_LISTEN)) {
    if (msg.verbose) msg.info(`${myname}: enable events ${serv.name}`);
    for (const w of watchesOf(serv)) w.start();
    serv.flags |= MASTER_FLAG_LISTEN;
  } else if (!listen && serv.flags & MASTER_FLAG_LISTEN) {
    if (msg.verbose) msg.info(`${myname}: disable events ${serv.name}`);
    for (const w of serv.listenWatch) w.stop();
    serv.flags &= ~MASTER_FLAG_LISTEN;
  }
}

/** Postfix: master_avail_cleanup(). Also forgets the watchers, before the sockets close. */
export function masterAvailCleanup(serv: MasterServ): void {
  masterDeleteChildren(serv);
  for (const w of serv.listenWatch) w.close();
  serv.listenWatch = [];
  serv.flags &= ~MASTER_FLAG_LISTEN;
}

/** Postfix: master_avail_more(). */
export function masterAvailMore(serv: MasterServ, proc: MasterProc): void {
  const myname = 'master_avail_more';
  if (msg.verbose) msg.info(`${myname}: pid ${proc.pid} (${proc.serv.name})`);
  if (proc.avail === MASTER_STAT_AVAIL) msg.panic(`${myname}: process already available`);
  serv.availProc++;
  proc.avail = MASTER_STAT_AVAIL;
  masterAvailListen(serv);
}

/** Postfix: master_avail_less(). */
export function masterAvailLess(serv: MasterServ, proc: MasterProc): void {
  const myname = 'master_avail_less';
  if (msg.verbose) msg.info(`${myname}: pid ${proc.pid} (${proc.serv.name})`);
  if (proc.avail !== MASTER_STAT_AVAIL) msg.panic(`${myname}: process not available`);
  serv.availProc--;
  proc.avail = MASTER_STAT_TAKEN;
  masterAvailListen(serv);
}
