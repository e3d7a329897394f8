/*
 * _compare - run one postconf case on ours and on the reference and compare.
 * Each side gets a private copy of the configuration files in <tmp>/conf and runs there
 * with "-c conf", so that paths in messages are the same. Compared: stdout (process ids
 * masked), stderr as a sorted list of lines (Postfix lists hash tables in random order),
 * exit status, and the bytes of every file left in conf/ (edits, and no stray .tmp).
 */
import test, { type ExecutionContext } from 'ava';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference, tempDir, type RunResult } from '../helpers/diff.js';
import { REFERENCE_ROOT } from '../helpers/paths.js';

export interface Case {
  /** File name to content, placed in conf/. */
  files: Record<string, string>;
  args: string[];
  /** Directories to create in conf/ (where a file is expected, say). */
  dirs?: string[];
  env?: Record<string, string | undefined>;
  /** argv[0] for both programs; default "postconf". */
  argv0?: string;
  /** Files that differ between the sides (say, a daemon_directory setting). */
  sideFiles?: (side: Side) => Record<string, string>;
  /** What to compare: everything (default), or only stderr and exit status. */
  compare?: 'all' | 'diagnostics';
}

export type Side = 'ours' | 'reference';

interface Outcome {
  stdout: string;
  stderr: string[];
  status: RunResult['status'];
  files: Record<string, string>;
}

/** The stock configuration files of the reference's package. */
export function stockFile(name: 'main.cf.dist' | 'master.cf.dist' | 'main.cf.debian'): string {
  return readFileSync(join(REFERENCE_ROOT, 'usr/share/postfix', name), 'latin1');
}

function maskPids(text: string): string {
  return text.replace(/^(process_id = )\d+$/gm, '$1PID').replace(/(postconf )\d+( & sleep)/g, '$1PID$2');
}

async function runSide(t: ExecutionContext, side: Side, c: Case): Promise<Outcome> {
  const top = tempDir(t, `pf-postconf-${side}-`);
  const conf = join(top, 'conf');
  mkdirSync(conf);
  for (const [name, content] of Object.entries({ ...c.files, ...c.sideFiles?.(side) })) {
    writeFileSync(join(conf, name), content, 'latin1');
  }
  for (const name of c.dirs ?? []) mkdirSync(join(conf, name));
  // Postfix reads a main.cf modified within the last second again, 300 ms later, until it
  // is older; how often depends on how fast each side starts. Old files make that moot.
  const anHourAgo = new Date(Date.now() - 3600_000);
  for (const name of readdirSync(conf)) utimesSync(join(conf, name), anHourAgo, anHourAgo);
  const run = side === 'ours' ? runOurs : runReference;
  // NORANDOMIZE makes the reference list hash tables in a fixed order; ours follows it.
  const result = await run('postconf', ['-c', 'conf', ...c.args], { cwd: top, env: { NORANDOMIZE: '1', ...c.env }, ...(c.argv0 ? { argv0: c.argv0 } : {}) });
  const files: Record<string, string> = {};
  const differ = new Set(Object.keys(c.sideFiles?.(side) ?? {}));
  for (const entry of readdirSync(conf, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (differ.has(entry.name)) continue; // written differently on purpose
    files[entry.name] = entry.isDirectory() ? '(directory)' : readFileSync(join(conf, entry.name), 'latin1');
  }
  return {
    stdout: maskPids(result.stdout),
    // A set: the reference sometimes repeats its first warnings (seen under this sandbox).
    stderr: [...new Set(result.stderr.split('\n').filter((l) => l !== ''))].sort(),
    status: result.status,
    files,
  };
}

/** Run a case on both sides and assert that everything observable is the same. */
export async function compareCase(t: ExecutionContext, c: Case): Promise<void> {
  if (!requireRoot(t)) return;
  const [ours, ref] = await Promise.all([runSide(t, 'ours', c), runSide(t, 'reference', c)]);
  if (c.compare === 'diagnostics') t.deepEqual([ours.stderr, ours.status], [ref.stderr, ref.status]);
  else t.deepEqual(ours, ref);
}

/** A macro for table-driven tests: test('title', postconfCase, { files, args }). */
export const postconfCase = test.macro(compareCase);
