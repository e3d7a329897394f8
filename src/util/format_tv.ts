/*
 * format_tv - a time interval with limited precision: "0.27", "12", "1.4".
 * Counterpart: postfix/src/util/format_tv.c. Large values are rounded to whole seconds,
 * small ones keep sigDigits significant digits, never more than maxDigits decimals.
 */
import { msg } from './msg.js';

const MILLION = 1000000;
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

/** Postfix: format_tv(). */
export function formatTv(sec: number, usec: number, sigDigits: number, maxDigits: number): string {
  if (maxDigits < 0 || maxDigits > 6) msg.panic(`format_tv: bad maximum decimal count ${maxDigits}`);
  if (sec < 0 || usec < 0 || usec > MILLION) msg.panic(`format_tv: bad time ${sec}s ${usec}us`);
  if (sigDigits < 1 || sigDigits > 6) msg.panic(`format_tv: bad significant decimal count ${sigDigits}`);
  let ures = MILLION / POW10[maxDigits]!;
  const wid = POW10[sigDigits]!;

  // Coarsen the resolution so that only the significant digits remain.
  if (ures < MILLION) {
    if (sec > 0) {
      let n = 1;
      while (sec >= n && n <= wid / 10) n *= 10;
      ures = (MILLION / wid) * n;
    } else {
      while (usec >= wid * ures) ures *= 10;
    }
  }
  // Round; what falls below the resolution is not printed.
  if (ures > 1) {
    usec += Math.floor(ures / 2);
    if (usec >= MILLION) {
      sec += 1;
      usec -= MILLION;
    }
  }
  let text = String(sec);
  if (usec >= ures) {
    text += '.';
    for (let rem = usec, n = MILLION / 10; rem >= ures && n > 0; n = Math.floor(n / 10)) {
      text += String(Math.floor(rem / n));
      rem %= n;
    }
  }
  return text;
}
