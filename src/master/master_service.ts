/*
 * master_service - start, stop and restart one service: listen endpoints, the watching
 * policy, the status channel and the wake-up timer, in that order.
 * Counterpart: postfix/src/master/master_service.c.
 */
import type { MasterServ } from './master_ent.js';
import { masterListenCleanup, masterListenInit } from './master_listen.js';
import { masterAvailCleanup, masterAvailListen } from './master_avail.js';
import { masterStatusCleanup, masterStatusInit } from './master_status.js';
import { masterWakeupCleanup, masterWakeupInit } from './master_wakeup.js';

export const DO_CONF_RELOAD = true;
export const NO_CONF_RELOAD = false;

/** Postfix: master_head; the services in master.cf order of their first appearance. */
export const masterServices: MasterServ[] = [];

/** Postfix: master_start_service(). */
export function masterStartService(serv: MasterServ): void {
  masterListenInit(serv);
  masterAvailListen(serv);
  masterStatusInit(serv);
  masterWakeupInit(serv);
}

/** Postfix: master_stop_service(). */
export function masterStopService(serv: MasterServ): void {
  masterWakeupCleanup(serv);
  masterStatusCleanup(serv);
  masterAvailCleanup(serv);
  masterListenCleanup(serv);
}

/**
 * Postfix: master_restart_service(). A new status channel: the children of the old
 * generation see master's end close, finish what they do, and exit.
 */
export function masterRestartService(serv: MasterServ, confReload: boolean): void {
  masterWakeupCleanup(serv);
  masterStatusCleanup(serv);
  masterStatusInit(serv);
  masterWakeupInit(serv);
  if (confReload) masterAvailListen(serv);
}
