/*
 * master_conf - apply master.cf: start new services, update changed ones (their children
 * are replaced by a new generation), and stop services that are gone.
 * Counterpart: postfix/src/master/master_conf.c. A service is known by its endpoint
 * name and transport type together.
 */
import { msg } from '../util/msg.js';
import {
  MASTER_FLAG_CONDWAKE, MASTER_FLAG_MARK, endMasterEnt, getMasterEnt, printMasterEnt, setMasterEnt,
} from './master_ent.js';
import { DO_CONF_RELOAD, masterRestartService, masterServices, masterStartService, masterStopService } from './master_service.js';

/** Postfix: master_config(). */
export function masterConfig(): void {
  setMasterEnt();
  for (let entry = getMasterEnt(); entry !== null; entry = getMasterEnt()) {
    if (msg.verbose) printMasterEnt(entry);
    const serv = masterServices.find((s) => s.name === entry.name && s.type === entry.type);
    if (serv === undefined) {
      masterServices.push(entry);
      masterStartService(entry);
      continue;
    }
    // Keep the endpoint, take the rest of the new entry; new children use it.
    if ((serv.flags & MASTER_FLAG_MARK) === 0) {
      msg.warn(`duplicate master.cf entry for service "${serv.extName}" (${serv.name}) -- using the last entry`);
    } else {
      serv.flags &= ~MASTER_FLAG_MARK;
    }
    if (entry.flags & MASTER_FLAG_CONDWAKE) serv.flags |= MASTER_FLAG_CONDWAKE;
    else serv.flags &= ~MASTER_FLAG_CONDWAKE;
    serv.wakeupTime = entry.wakeupTime;
    serv.maxProc = entry.maxProc;
    serv.throttleDelay = entry.throttleDelay;
    serv.extName = entry.extName;
    serv.path = entry.path;
    serv.args = entry.args;
    serv.stressArg = entry.stressArg;
    masterRestartService(serv, DO_CONF_RELOAD);
  }
  endMasterEnt();
}

/** Postfix: master_refresh(). */
export function masterRefresh(): void {
  for (const serv of masterServices) serv.flags |= MASTER_FLAG_MARK;
  masterConfig();
  for (let i = 0; i < masterServices.length;) {
    const serv = masterServices[i]!;
    if (serv.flags & MASTER_FLAG_MARK) {
      masterServices.splice(i, 1);
      masterStopService(serv);
    } else {
      i++;
    }
  }
}
