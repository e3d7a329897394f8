/*
 * lmdb: rebuilding a large table (100k entries) over an existing file, with a memory map
 * that the rebuild outgrows only when it commits at close. Postfix then starts the build
 * over with a larger map; so must we. Ours and the reference each rebuild their own copy,
 * and must end up with the same entries (and the same file).
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference } from '../helpers/diff.js';
import { twinDirs } from './_tables.js';

const ENTRIES = 100000;

test('lmdb: a rebuild that outgrows the memory map at the final commit starts over', async (t) => {
  if (!requireRoot(t)) return;
  const twins = twinDirs(t, 'lmdb_map_size = 4194304\n');
  const lines: string[] = [];
  for (let i = 0; i < ENTRIES; i++) lines.push(`user${i}@example${i % 977}.com\tlocal${i}@mailbox.example, alias-${(i * 7919) % ENTRIES}\n`);
  twins.file('source', lines.join(''));
  const digest = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
  for (let build = 1; build <= 2; build++) {
    const [ours, ref] = await Promise.all([
      runOurs('postmap', ['-c', twins.ours.dir, 'lmdb:source'], { cwd: twins.ours.dir, timeoutMs: 120_000 }),
      runReference('postmap', ['-c', twins.ref.dir, 'lmdb:source'], { cwd: twins.ref.dir, timeoutMs: 120_000 }),
    ]);
    t.deepEqual(ours, ref, `build ${build}`);
  }
  t.is(digest(readFileSync(join(twins.ours.dir, 'source.lmdb'))), digest(readFileSync(join(twins.ref.dir, 'source.lmdb'))));
  const listed = await runReference('postmap', ['-c', twins.ours.dir, '-s', 'lmdb:source'], { cwd: twins.ours.dir });
  t.is(listed.stdout.split('\n').length - 1, ENTRIES);
});
