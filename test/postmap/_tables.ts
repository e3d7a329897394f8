/*
 * _tables - a private configuration and table files for running our postmap/postalias and
 * the reference's side by side. The reference loads its cdb, lmdb and pcre plug-ins
 * through dynamicmaps.cf in meta_directory, so main.cf points meta_directory and
 * shlib_directory into the unpacked reference; our programs read and ignore them.
 */
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { runBoth, runOurs, runReference, tempDir, type RunOptions, type RunResult } from '../helpers/diff.js';
import { REFERENCE_ROOT } from '../helpers/paths.js';

export interface TableDir {
  /** The configuration directory (main.cf) and working directory for table files. */
  dir: string;
  /** Write a file into dir, with an old modification time; returns its path. */
  file(name: string, content: string | Buffer): string;
}

/** An hour ago: Postfix reads a file again while it may still be being written. */
const OLD = Date.now() / 1000 - 3600;

export function tableDir(t: ExecutionContext, mainCf = ''): TableDir {
  const dir = tempDir(t, 'pf-tables-');
  writeFileSync(join(dir, 'main.cf'),
    `meta_directory = ${REFERENCE_ROOT}/etc/postfix\nshlib_directory = ${REFERENCE_ROOT}/usr/lib/postfix\n${mainCf}`);
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content, typeof content === 'string' ? 'latin1' : undefined);
      utimesSync(path, OLD, OLD);
      return path;
    },
  };
}

/** Run a command both ways with "-c dir" and cwd dir; the results must be the same. */
export async function sameResult(t: ExecutionContext, tables: TableDir, command: string, args: string[],
  opts: RunOptions = {}): Promise<[RunResult, RunResult]> {
  const [ours, ref] = await runBoth(command, ['-c', tables.dir, ...args], { cwd: tables.dir, ...opts });
  t.deepEqual(ours, ref, `${command} ${args.join(' ')}`);
  return [ours, ref];
}

/** Two table directories with the same files, one for each implementation. */
export interface Twins {
  ours: TableDir;
  ref: TableDir;
  /** Write the same file into both. */
  file(name: string, content: string | Buffer): void;
}

export function twinDirs(t: ExecutionContext, mainCf = ''): Twins {
  const ours = tableDir(t, mainCf);
  const ref = tableDir(t, mainCf);
  return {
    ours,
    ref,
    file(name, content) {
      ours.file(name, content);
      ref.file(name, content);
    },
  };
}

/**
 * Run a command in each twin (ours in ours.dir, the reference in ref.dir, relative names
 * keep messages alike) and compare the results.
 */
export async function sameInTwins(t: ExecutionContext, twins: Twins, command: string, args: string[],
  opts: RunOptions = {}, normalize: (r: RunResult) => RunResult = (r) => r): Promise<[RunResult, RunResult]> {
  const [ours, ref] = await Promise.all([
    runOurs(command, ['-c', twins.ours.dir, ...args], { cwd: twins.ours.dir, ...opts }),
    runReference(command, ['-c', twins.ref.dir, ...args], { cwd: twins.ref.dir, ...opts }),
  ]);
  t.deepEqual(normalize(ours), normalize(ref), `${command} ${args.join(' ')}`);
  return [ours, ref];
}
