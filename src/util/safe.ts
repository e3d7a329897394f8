/*
 * safe - is this process set-id, and an environment that says nothing when it is.
 * Counterpart: postfix/src/util/safe_getenv.c and unsafe.c. Node exposes the real and
 * effective ids, which is what unsafe() compares; a set-id process started through the
 * launcher also has a scrubbed environment (src/launcher/launcher.c).
 */

/** Postfix: unsafe(). True when the real and effective ids differ. */
export function unsafe(): boolean {
  if (process.getuid === undefined) return false;
  return process.getuid() !== process.geteuid!() || process.getgid!() !== process.getegid!();
}

/** Postfix: safe_getenv(). */
export function safeGetenv(name: string): string | undefined {
  return unsafe() ? undefined : process.env[name];
}
