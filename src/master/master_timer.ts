/*
 * master_timer - one-shot timers in seconds, for master(8)'s wake-ups, throttling and
 * exit time. Counterpart: event_request_timer() of postfix/src/util/events.c. Node runs a
 * timer of more than 2^31-1 ms after 1 ms instead; a longer delay is cut to that limit
 * and the timer re-armed until the time has come.
 */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface MasterTimer {
  cancel(): void;
}

/** Call fn once, seconds from now. */
export function masterTimer(seconds: number, fn: () => void): MasterTimer {
  const due = Date.now() + Math.max(seconds, 0) * 1000;
  let handle: NodeJS.Timeout;
  const arm = () => {
    handle = setTimeout(() => {
      if (Date.now() < due) arm();
      else fn();
    }, Math.min(Math.max(due - Date.now(), 0), MAX_DELAY_MS));
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}
