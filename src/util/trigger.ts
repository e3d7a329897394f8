/*
 * trigger - what the trigger clients share: the wake-ups still in flight, and the wait
 * for them that a command makes before it exits.
 * Counterpart: postfix/src/util/trigger.h, and event_drain() of events.c as postkick and
 * postqueue use it. A socket trigger stays open until the server closes it (a kernel could
 * otherwise drop the request); each one registers here until then.
 */
const inFlight = new Set<Promise<void>>();

/** Register a trigger connection that ends when the promise settles. */
export function triggerInFlight(done: Promise<void>): void {
  inFlight.add(done);
  void done.finally(() => inFlight.delete(done));
}

/** How many trigger connections are still open. */
export function triggersInFlight(): number {
  return inFlight.size;
}

/**
 * Postfix: event_drain(time_limit). Wait until every trigger connection has been closed by
 * its server, but no longer than timeLimit seconds.
 */
export async function drainTriggers(timeLimit: number): Promise<void> {
  if (inFlight.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeLimit * 1000);
  });
  try {
    while (inFlight.size > 0) {
      const expired = await Promise.race([limit.then(() => true), Promise.race(inFlight).then(() => false)]);
      if (expired) return;
    }
  } finally {
    clearTimeout(timer);
  }
}
