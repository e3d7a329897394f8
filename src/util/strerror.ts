/*
 * strerror - glibc's error texts for Node's error codes.
 * Counterpart: the %m conversion in postfix/src/util/vbuf_print.c, which prints strerror(errno).
 * Node reports system errors as err.code ('ENOENT') and err.errno (-2); we never print
 * Node's own err.message, which is worded differently.
 */
import { ERRNO_BY_NAME, STRERROR_BY_NUMBER } from './strerror_table.js';

/** The errno number for a Node system error, an errno name, or a number. */
export function errnoOf(err: unknown): number | undefined {
  if (typeof err === 'number') return Math.abs(err);
  if (typeof err === 'string') return ERRNO_BY_NAME[err];
  if (err !== null && typeof err === 'object') {
    const { code, errno } = err as { code?: unknown; errno?: unknown };
    if (typeof code === 'string' && ERRNO_BY_NAME[code] !== undefined) return ERRNO_BY_NAME[code];
    if (typeof errno === 'number') return Math.abs(errno);
  }
  return undefined;
}

/** Postfix: strerror(errno), i.e. what %m prints. */
export function strerror(err: unknown): string {
  const num = errnoOf(err);
  if (num === undefined) {
    // Not a system error: a bug of ours, or a library exception. Say what it is.
    return err instanceof Error ? err.message : String(err);
  }
  return STRERROR_BY_NUMBER[num] ?? `Unknown error ${num}`;
}

/** True when err is a Node system error with one of the given codes. */
export function isErrno(err: unknown, ...codes: string[]): boolean {
  return err !== null && typeof err === 'object' && codes.includes((err as { code?: string }).code ?? '');
}

/** Postfix's %m for an errno number: strerror(), but "Application error" for errno 0. */
export function percentM(errno: number): string {
  return errno === 0 ? 'Application error' : strerror(errno);
}
