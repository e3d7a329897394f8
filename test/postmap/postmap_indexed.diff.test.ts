/*
 * Indexed tables (hash, btree, cdb, lmdb) built by our postmap and by the reference from
 * the same sources: the same messages and exit status, the same files (see _indexed.ts
 * for what "same" means for Berkeley DB), and each side reads the other's files with the
 * same results (-q, -q -, -s, -d, -i).
 */
import test from 'ava';
import { copyFileSync, chownSync, chmodSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference } from '../helpers/diff.js';
import { sameInTwins, twinDirs } from './_tables.js';
import { INDEXED, ZEROED, isBerkeleyDb, referenceVariance, sameContent, suffix } from './_indexed.js';

/** A source with the awkward cases: case, duplicates, long values, 8-bit keys, quoting. */
function awkwardSource(): string {
  const lines = [
    '# a comment', 'Simple value', 'UPPER Mixed Case Value', 'upper lower-case duplicate key', 'dup first', 'dup second',
    '"quoted key" value', 'back\\ slash value', 'cont first part', '  continued part', '# between', '\tlast part',
    '\xe9t\xe9 8-bit key', 'key\xff 8-bit value \xfe', 'alias: looks like an alias', 'nothing', '"unbalanced value',
    `long ${'x'.repeat(5000)}`, `${'k'.repeat(300)} long key`,
  ];
  for (let i = 0; i < 2500; i++) lines.push(`key${(i * 7919) % 2500}@example.com value-${i}`);
  return `${lines.join('\n')}\n`;
}

const QUERIES = ['simple', 'Simple', 'upper', 'UPPER', 'dup', '"quoted key"', 'back\\ slash', 'cont', '\xe9t\xe9', '\xc9T\xc9',
  'key\xff', 'alias:', 'nothing', 'long', 'k'.repeat(300), 'key17@example.com', 'KEY2499@EXAMPLE.COM', 'missing'];
const queryInput = `${QUERIES.join('\n')}\n`;

for (const type of INDEXED) {
  for (const flags of [[], ['-f'], ['-r'], ['-w'], ['-n'], ['-N']]) {
    test(`${type}: build ${flags.join(' ')} and cross-read`, async (t) => {
      if (!requireRoot(t)) return;
      const twins = twinDirs(t);
      twins.file('source', awkwardSource());
      await sameInTwins(t, twins, 'postmap', [...flags, `${type}:source`], ZEROED);
      sameContent(t, twins, type, 'source',
        isBerkeleyDb(type) ? await referenceVariance(twins, 'postmap', type, 'source', [...flags, `${type}:source`]) : undefined);
      // Each side reads both files; the answers must agree everywhere.
      const theirs = join(twins.ref.dir, `source${suffix(type)}`);
      copyFileSync(theirs, join(twins.ours.dir, `theirs${suffix(type)}`));
      copyFileSync(join(twins.ours.dir, `source${suffix(type)}`), join(twins.ref.dir, `theirs${suffix(type)}`));
      for (const name of ['source', 'theirs']) {
        for (const query of [[...flags, '-q', '-'], ['-q', '-'], ['-f', '-q', '-']]) {
          await sameInTwins(t, twins, 'postmap', [...query, `${type}:${name}`], { input: queryInput });
        }
        await sameInTwins(t, twins, 'postmap', ['-q', 'dup', `${type}:${name}`]);
        await sameInTwins(t, twins, 'postmap', ['-s', `${type}:${name}`]);
      }
    });
  }

  test(`${type}: incremental updates and deletes`, async (t) => {
    if (!requireRoot(t)) return;
    const twins = twinDirs(t);
    twins.file('source', 'a 1\nb 2\nc 3\n');
    await sameInTwins(t, twins, 'postmap', [`${type}:source`], ZEROED);
    await sameInTwins(t, twins, 'postmap', ['-i', `${type}:source`], { ...ZEROED, input: 'd 4\nA replaced?\nbad\ne "x\n' });
    await sameInTwins(t, twins, 'postmap', ['-i', '-r', `${type}:source`], { ...ZEROED, input: 'a replaced\n' });
    await sameInTwins(t, twins, 'postmap', ['-d', 'b', `${type}:source`], ZEROED);
    await sameInTwins(t, twins, 'postmap', ['-d', 'b', `${type}:source`], ZEROED);
    await sameInTwins(t, twins, 'postmap', ['-d', '-', `${type}:source`], { ...ZEROED, input: 'c\nnope\nD\n' });
    await sameInTwins(t, twins, 'postmap', ['-s', `${type}:source`]);
    sameContent(t, twins, type, 'source');
    await sameInTwins(t, twins, 'postmap', ['-i', `${type}:fresh`], { ...ZEROED, input: 'x 1\n' });
    await sameInTwins(t, twins, 'postmap', ['-s', `${type}:fresh`]);
    sameContent(t, twins, type, 'fresh');
  });

  test(`${type}: values from files (-F)`, async (t) => {
    if (!requireRoot(t)) return;
    const twins = twinDirs(t);
    twins.file('one.txt', 'file one\n');
    twins.file('two.txt', 'file\ttwo');
    twins.file('source', 'a one.txt\nb one.txt, two.txt\nc missing.txt\n');
    await sameInTwins(t, twins, 'postmap', ['-F', `${type}:source`], ZEROED);
    sameContent(t, twins, type, 'source');
    await sameInTwins(t, twins, 'postmap', ['-F', '-s', `${type}:source`]);
    await sameInTwins(t, twins, 'postmap', ['-F', '-q', 'b', `${type}:source`]);
    await sameInTwins(t, twins, 'postmap', ['-s', `${type}:source`]);
  });

  test(`${type}: bad sources, bad files and UTF-8`, async (t) => {
    if (!requireRoot(t)) return;
    const twins = twinDirs(t, 'compatibility_level = 3.6\n');
    await sameInTwins(t, twins, 'postmap', [`${type}:missing`]);
    twins.file('garbage.db', 'this is not a database\n');
    twins.file('garbage', 'a b\n');
    await sameInTwins(t, twins, 'postmap', ['-q', 'a', `${type}:garbage`]);
    await sameInTwins(t, twins, 'postmap', ['-s', `${type}:garbage`]);
    twins.file('empty.db', '');
    twins.file('empty', 'a b\n');
    await sameInTwins(t, twins, 'postmap', ['-q', 'a', `${type}:empty`]);
    await sameInTwins(t, twins, 'postmap', [`${type}:empty`]);
    await sameInTwins(t, twins, 'postmap', ['-q', 'a', `${type}:empty`]);
    twins.file('utf8', '\xc3\x89t\xc3\xa9 summer\nbad\xff key\nok bad\xffvalue\nSTRASSE street\n');
    await sameInTwins(t, twins, 'postmap', [`${type}:utf8`], ZEROED);
    sameContent(t, twins, type, 'utf8');
    await sameInTwins(t, twins, 'postmap', ['-q', '-', `${type}:utf8`], { input: '\xc3\xa9t\xc3\xa9\nstrasse\nbad\xff\n' });
    await sameInTwins(t, twins, 'postmap', ['-u', `${type}:utf8`], ZEROED);
    sameContent(t, twins, type, 'utf8');
    await sameInTwins(t, twins, 'postmap', ['-s', `${type}:utf8`]);
  });
}

test('lmdb: a build that outgrows its memory map starts over with a larger one', async (t) => {
  if (!requireRoot(t)) return;
  const twins = twinDirs(t, 'lmdb_map_size = 1\n');
  twins.file('source', awkwardSource());
  const [ours, ref] = await Promise.all([
    runOurs('postmap', ['-c', twins.ours.dir, '-v', 'lmdb:source'], { cwd: twins.ours.dir }),
    runReference('postmap', ['-c', twins.ref.dir, '-v', 'lmdb:source'], { cwd: twins.ref.dir }),
  ]);
  const sizes = (r: { stderr: string }) => r.stderr.split('\n').filter((l) => l.includes('size limit') || l.includes('duplicate'));
  t.deepEqual(sizes(ours), sizes(ref));
  t.true(sizes(ref).some((l) => l.includes('MDB_MAP_FULL')));
  sameContent(t, twins, 'lmdb', 'source');
  await sameInTwins(t, twins, 'postmap', ['-q', '-', 'lmdb:source'], { input: queryInput });
});

test('a build takes the owner and permissions of its source', async (t) => {
  if (!requireRoot(t)) return;
  const twins = twinDirs(t);
  twins.file('source', 'a 1\n');
  for (const dir of [twins.ours.dir, twins.ref.dir]) {
    chownSync(dir, 0, 0);
    chmodSync(dir, 0o777);
    chownSync(join(dir, 'source'), 1, 1);
    chmodSync(join(dir, 'source'), 0o640);
  }
  await sameInTwins(t, twins, 'postmap', ['hash:source']);
  const ours = statSync(join(twins.ours.dir, 'source.db'));
  const ref = statSync(join(twins.ref.dir, 'source.db'));
  t.deepEqual([ours.uid, ours.gid, ours.mode], [ref.uid, ref.gid, ref.mode]);
  writeFileSync(join(twins.ours.dir, 'other'), 'b 2\n');
  writeFileSync(join(twins.ref.dir, 'other'), 'b 2\n');
  for (const dir of [twins.ours.dir, twins.ref.dir]) {
    chownSync(join(dir, 'other'), 1, 1);
    chmodSync(join(dir, 'other'), 0o600);
  }
  await sameInTwins(t, twins, 'postmap', ['-o', '-p', 'hash:other']);
  const ours2 = statSync(join(twins.ours.dir, 'other.db'));
  const ref2 = statSync(join(twins.ref.dir, 'other.db'));
  t.deepEqual([ours2.uid, ours2.gid, ours2.mode], [ref2.uid, ref2.gid, ref2.mode]);
});

test('types that cannot be built, and the default type', async (t) => {
  if (!requireRoot(t)) return;
  const twins = twinDirs(t);
  twins.file('source', 'a 1\n');
  for (const spec of ['texthash:source', 'regexp:source', 'inline:{a=b}', 'proxy:hash:source', 'fail:source', 'source']) {
    await sameInTwins(t, twins, 'postmap', [spec]);
  }
  await sameInTwins(t, twins, 'postmap', ['-q', 'a', 'source']);
  const [ours, ref] = await Promise.all([
    runOurs('postmap', ['-c', twins.ours.dir, '-s', 'hash:source'], { cwd: twins.ours.dir }),
    runReference('postmap', ['-c', twins.ref.dir, '-s', 'hash:source'], { cwd: twins.ref.dir }),
  ]);
  t.deepEqual(ours, ref);
});

test('a table older than its source is reported', async (t) => {
  if (!requireRoot(t)) return;
  const twins = twinDirs(t);
  twins.file('source', 'a 1\n');
  for (const type of INDEXED) {
    await sameInTwins(t, twins, 'postmap', [`${type}:source`]);
    // Times from now, per table: under load one iteration can take longer than the margins.
    let now = Date.now() / 1000;
    for (const dir of [twins.ours.dir, twins.ref.dir]) {
      utimesSync(join(dir, `source${suffix(type)}`), now - 300, now - 300);
      utimesSync(join(dir, 'source'), now - 200, now - 200);
    }
    await sameInTwins(t, twins, 'postmap', ['-q', 'a', `${type}:source`]);
    // A source changed in the last 100 seconds may still be being edited: no warning.
    now = Date.now() / 1000;
    for (const dir of [twins.ours.dir, twins.ref.dir]) utimesSync(join(dir, 'source'), now - 10, now - 10);
    await sameInTwins(t, twins, 'postmap', ['-q', 'a', `${type}:source`]);
  }
});
