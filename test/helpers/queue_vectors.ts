/*
 * queue_vectors - the reference-made queue files in test/fixtures/queue-vectors/, and a
 * private configuration for running postcat/postsuper on them.
 */
import { readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ExecutionContext } from 'ava';
import { TOP } from './paths.js';
import { tempDir } from './diff.js';

export const VECTOR_DIR = join(TOP, 'test', 'fixtures', 'queue-vectors');
const NOT_VECTORS = new Set(['README.md', 'MANIFEST.txt', 'SHA256SUMS']);

/** Every vector file, as a path relative to VECTOR_DIR, sorted. */
export function vectorFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!NOT_VECTORS.has(name)) found.push(relative(VECTOR_DIR, path));
    }
  };
  walk(VECTOR_DIR);
  return found;
}

/** A configuration directory whose main.cf sets queue_directory (and extra lines). */
export function queueConfig(t: ExecutionContext, extra = ''): { config: string; spool: string } {
  const dir = tempDir(t, 'pf-queue-');
  const config = join(dir, 'etc');
  const spool = join(dir, 'spool');
  mkdirSync(config);
  mkdirSync(spool);
  writeFileSync(join(config, 'main.cf'), `queue_directory = ${spool}\n${extra}`);
  return { config, spool };
}

/*
 * With -v, main.cf reading itself logs how it computed mynetworks and inet_interfaces
 * defaults from this host's addresses; that is the configuration engine's output, not
 * postcat's, so both sides drop it before comparing.
 */
const CONFIG_CHATTER = /^[^\n]*: (name_mask|inet_addr_local|been_here|mynetworks_core): [^\n]*\n/gm;
export function withoutConfigChatter(stderr: string): string {
  return stderr.replace(CONFIG_CHATTER, '');
}
