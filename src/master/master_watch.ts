/*
 * master_watch - notice main.cf parameters whose new value master(8) cannot take without
 * a restart, and keep using the old value.
 * Counterpart: postfix/src/master/master_watch.c (master_str_watch()).
 */
import { msg } from '../util/msg.js';

export interface MasterStrWatch {
  name: string;
  /** The value main.cf has now. */
  value: () => string;
  /** The value in use; undefined before the first call. */
  backup: string | undefined;
  /** A change takes effect (after notify) instead of being refused. */
  updatable?: boolean;
  notify?: () => void;
}

/** Postfix: master_str_watch(). */
export function masterStrWatch(table: MasterStrWatch[]): void {
  for (const wp of table) {
    const value = wp.value();
    if (wp.backup !== undefined && wp.backup !== value) {
      if (!wp.updatable) {
        msg.warn(`ignoring ${wp.name} parameter value change`);
        msg.warn(`old value: "${wp.backup}", new value: "${value}"`);
        msg.warn(`to change ${wp.name}, stop and start Postfix`);
      } else {
        wp.backup = undefined;
      }
    }
    if (wp.backup === undefined) {
      wp.notify?.();
      wp.backup = value;
    }
  }
}
