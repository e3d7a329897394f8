/*
 * rand_sleep - wait for a randomized time, so that processes that retry do not retry in step.
 * Counterpart: postfix/src/util/rand_sleep.c (with doze.c): delay microseconds, give or
 * take half the variation. Here the wait is a timer: the event loop keeps running.
 */
import { msg } from './msg.js';

/** Postfix: rand_sleep(). Both arguments in microseconds. */
export function randSleep(delay: number, variation: number): Promise<void> {
  if (delay === 0) msg.panic(`rand_sleep: bad delay ${delay}`);
  if (variation > delay) msg.panic(`rand_sleep: bad variation ${variation}`);
  const usec = delay - variation / 2 + variation * Math.random();
  return new Promise((resolve) => setTimeout(resolve, usec / 1000));
}
