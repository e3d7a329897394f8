/*
 * paths - where our build and the reference Postfix live, for tests and benchmarks.
 * The reference is made ready by tools/oracle.mjs (npm test runs it first); a test that
 * needs it and finds it missing fails, it never skips.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository top (this file is dist/test/helpers/paths.js once built). */
export const TOP = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DIST = join(TOP, 'dist');
export const OUR_COMMAND_DIR = join(DIST, 'bin');
export const OUR_DAEMON_DIR = join(DIST, 'libexec');

export const REFERENCE_CACHE = resolve(process.env.POSTFIX_REFERENCE_DIR ?? join(TOP, '.cache', 'reference'));
export const REFERENCE_ROOT = join(REFERENCE_CACHE, 'root');
export const REF_COMMAND_DIR = join(REFERENCE_ROOT, 'usr/sbin');
export const REF_DAEMON_DIR = join(REFERENCE_ROOT, 'usr/lib/postfix/sbin');

/** Our executable for a command name (mailq and newaliases included). */
export function ourCommand(name: string): string {
  const path = join(OUR_COMMAND_DIR, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build"`);
  return path;
}

/** The reference executable for a command name, from the unpacked Debian package. */
export function referenceCommand(name: string): string {
  for (const dir of [REF_COMMAND_DIR, join(REFERENCE_ROOT, 'usr/bin'), REF_DAEMON_DIR]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`reference ${name} is missing under ${REFERENCE_ROOT}: run "node tools/oracle.mjs" as root`);
}
