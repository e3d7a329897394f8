/*
 * c_conv - the C library conversions Postfix relies on when it reads numbers and times
 * from queue files: atol()/strtol(), sscanf("%ld"), and asctime(localtime()).
 * No Postfix counterpart (this is libc). Numbers saturate at the 64-bit limits as glibc's
 * do; JavaScript numbers keep them exactly up to 2^53, which covers file offsets and times.
 */

const LONG_MAX = 0x7fffffffffffffffn;
const LONG_MIN = -0x8000000000000000n;
const C_SPACE = ' \t\n\v\f\r';

/** strtol(text + start, &end, 10): the value and the index after it (start when nothing converted). */
export function strtol(text: string, start = 0): { value: number; end: number } {
  let i = start;
  while (i < text.length && C_SPACE.includes(text[i]!)) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') negative = text[i++] === '-';
  const digitsAt = i;
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
  if (i === digitsAt) return { value: 0, end: start };
  let value = BigInt(text.slice(digitsAt, i));
  if (negative) value = -value;
  if (value > LONG_MAX) value = LONG_MAX;
  if (value < LONG_MIN) value = LONG_MIN;
  return { value: Number(value), end: i };
}

/** atol(). */
export function atol(text: string): number {
  return strtol(text).value;
}

/** sscanf(text, "%ld %ld ..."): the numbers converted before the first failure. */
export function scanLongs(text: string, count: number): number[] {
  const out: number[] = [];
  let pos = 0;
  while (out.length < count) {
    const { value, end } = strtol(text, pos);
    if (end === pos) break;
    out.push(value);
    pos = end;
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * asctime(localtime(&seconds)), newline included, in the zone TZ names. A time that
 * localtime() cannot represent gives what printf("%s") prints for a null pointer.
 */
export function asctimeLocal(seconds: number): string {
  const when = new Date(seconds * 1000);
  if (Number.isNaN(when.getTime())) return '(null)';
  return `${DAYS[when.getDay()]} ${MONTHS[when.getMonth()]}${String(when.getDate()).padStart(3, ' ')} `
    + `${two(when.getHours())}:${two(when.getMinutes())}:${two(when.getSeconds())} ${when.getFullYear()}\n`;
}
