/*
 * main_module - how a program's main file finds out that it runs, and with which argv.
 * No Postfix counterpart: C gets argv from the kernel. Node decodes argv as UTF-8 and
 * replaces argv[0] with its own path, so we read the bytes from /proc/self/cmdline
 * (one char per byte) and take argv[0] from the launcher (src/launcher/launcher.c),
 * which passes the name the program was invoked by in LAUNCHER_ARGV0_ENV.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LAUNCHER_ARGV0_ENV = 'POSTFIX_TS_ARGV0';

/** True when the module at url is the script node was started with. */
export function isMainModule(url: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}

/**
 * The program's argv as C would see it: argv[0] as invoked, then the arguments as raw
 * bytes. Removes the launcher's variable so that it does not leak to child processes.
 */
export function programArgv(): string[] {
  const argv0 = process.env[LAUNCHER_ARGV0_ENV] ?? process.argv[1] ?? 'unknown';
  delete process.env[LAUNCHER_ARGV0_ENV];
  return [argv0, ...rawArguments()];
}

function rawArguments(): string[] {
  const fallback = process.argv.slice(2);
  let raw: string[];
  try {
    raw = readFileSync('/proc/self/cmdline').toString('latin1').split('\0');
  } catch {
    return fallback;
  }
  if (raw[raw.length - 1] === '') raw.pop();
  // cmdline is: node, node's own options, script, arguments.
  const skip = 2 + process.execArgv.length;
  if (raw.length !== skip + fallback.length) return fallback;
  return raw.slice(skip);
}
