/*
 * maillog - what tests of Postfix logging share: a configuration directory whose main.cf is
 * old enough not to be re-read (Postfix reads a file again while it is less than a second
 * old), and log records with the two things that always differ between two runs, the time
 * stamp and the process id, masked.
 */
import { readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { tempConfig } from './diff.js';

/** A configuration directory with main.cf (and other files), dated an hour back. */
export function oldConfig(t: ExecutionContext, files: Record<string, string>): string {
  const dir = tempConfig(t, files);
  const past = new Date(Date.now() - 3600_000);
  for (const name of Object.keys(files)) utimesSync(join(dir, name), past, past);
  return dir;
}

/*
 * "Mmm dd hh:mm:ss host name[pid]: text": the time and the pid differ from run to run,
 * nothing else may. The time stamp must still have the right shape.
 */
const STAMP = /^[A-Z][a-z]{2} [0-3]\d [0-2]\d:[0-5]\d:[0-6]\d /;

/** One record (a maillog_file line or a postlogd datagram) with time and pid masked. */
export function maskRecord(record: string): string {
  if (!STAMP.test(record)) return `UNSTAMPED ${record}`;
  return record.replace(STAMP, 'TIME ').replace(/^(TIME \S+ .*?)\[\d+\]: /, '$1[PID]: ');
}

/** The lines of a log file, masked; empty when the file does not exist. */
export function readMaskedLog(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  if (lines.pop() !== '') lines.push('UNTERMINATED');
  return lines.map(maskRecord);
}

/** Remove a log file between runs (each program must create it). */
export function removeLog(path: string): void {
  rmSync(path, { force: true });
}
