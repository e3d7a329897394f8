/*
 * postalias, ours against the reference: aliases(5) files with the awkward cases (quoted
 * and 8-bit names, continuation lines, :include:, pipes, comments, empty values, bad
 * lines), built into every indexed type with the same messages and the same files, read
 * back by each side (-q, -q -, -s), edited (-i, -d), and the command line.
 * YP_LAST_MODIFIED holds the build time; both files get the same stand-in before they
 * are compared.
 */
import test from 'ava';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, type RunResult } from '../helpers/diff.js';
import { sameInTwins, twinDirs } from '../postmap/_tables.js';
import { INDEXED, ZEROED, isBerkeleyDb, referenceVariance, sameContent, suffix } from '../postmap/_indexed.js';

/** The build time, as YP_LAST_MODIFIED stores it: ten digits within an hour of now. */
function withoutBuildTime(file: Buffer): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const text = file.toString('latin1').replace(/\d{10}/g, (digits) => (Math.abs(Number(digits) - now) < 3600 ? '0'.repeat(10) : digits));
  return Buffer.from(text, 'latin1');
}

/** -s output with the YP_LAST_MODIFIED value replaced. */
const withoutBuildTimeLine = (r: RunResult): RunResult => ({ ...r, stdout: r.stdout.replace(/^(YP_LAST_MODIFIED:\t)\d+$/m, '$1(time)') });

const ALIASES = [
  '# system aliases', 'postmaster: root', 'MAILER-DAEMON: postmaster', 'root: admin, "user name", \\joe',
  'list: :include:/etc/postfix/list.txt, |"/usr/bin/prog -x arg", /var/mail/archive', '  , continued@example.com,',
  '\tmore@example.com', '"quoted name": someone', '"with:colon": x', 'bad@remote: y', 'bad%relay: z', 'nocolon',
  'empty: ""', 'MixedCase: (a comment) Who <addr@example.com>', 'dup: first', 'DUP: second', ': novalue', 'novalue:',
  'a, b: multiple names', '\xe9t\xe9: 8-bit name', 'owner-list: root', 'domlit: user@[192.0.2.1]', 'ops: a!b%c@d',
].join('\n');

const QUERIES = ['postmaster', 'POSTMASTER', 'root', 'list', 'quoted name', 'with:colon', 'empty', 'mixedcase', 'dup',
  '\xe9t\xe9', '@', 'YP_MASTER_NAME', 'domlit', 'ops', 'missing'].join('\n');

for (const type of INDEXED) {
  for (const flags of [[], ['-f'], ['-r'], ['-w'], ['-N'], ['-n']]) {
    test(`${type}: build ${flags.join(' ')} and cross-read`, async (t) => {
      if (!requireRoot(t)) return;
      const twins = twinDirs(t);
      twins.file('aliases', `${ALIASES}\n`);
      await sameInTwins(t, twins, 'postalias', [...flags, `${type}:aliases`], ZEROED);
      const variable = isBerkeleyDb(type)
        ? await referenceVariance(twins, 'postalias', type, 'aliases', [...flags, `${type}:aliases`], withoutBuildTime)
        : undefined;
      sameContent(t, twins, type, 'aliases', variable, withoutBuildTime);
      copyFileSync(join(twins.ref.dir, `aliases${suffix(type)}`), join(twins.ours.dir, `theirs${suffix(type)}`));
      copyFileSync(join(twins.ours.dir, `aliases${suffix(type)}`), join(twins.ref.dir, `theirs${suffix(type)}`));
      for (const name of ['aliases', 'theirs']) {
        await sameInTwins(t, twins, 'postalias', [...flags, '-q', '-', `${type}:${name}`], { input: `${QUERIES}\n` });
        await sameInTwins(t, twins, 'postalias', ['-q', 'list', `${type}:${name}`]);
        if (type !== 'cdb') {
          const [ours] = await sameInTwins(t, twins, 'postalias', ['-s', `${type}:${name}`], {}, withoutBuildTimeLine);
          t.true(ours.stdout.includes('YP_MASTER_NAME'), 'the NIS entries are there');
        }
      }
    });
  }

  test(`${type}: incremental updates and deletes`, async (t) => {
    if (!requireRoot(t)) return;
    const twins = twinDirs(t);
    twins.file('aliases', 'a: 1\nb: 2\n');
    await sameInTwins(t, twins, 'postalias', [`${type}:aliases`], ZEROED);
    await sameInTwins(t, twins, 'postalias', ['-i', `${type}:aliases`], { ...ZEROED, input: 'c: 3\nA: again\nbad\n' });
    await sameInTwins(t, twins, 'postalias', ['-d', 'b', `${type}:aliases`], ZEROED);
    await sameInTwins(t, twins, 'postalias', ['-d', '-', `${type}:aliases`], { ...ZEROED, input: 'c\nnope\n' });
    await sameInTwins(t, twins, 'postalias', ['-q', '-', `${type}:aliases`], { input: 'a\nb\nc\n@\n' });
    sameContent(t, twins, type, 'aliases', undefined, withoutBuildTime);
  });
}

test('SMTPUTF8 names and values', async (t) => {
  if (!requireRoot(t)) return;
  const twins = twinDirs(t, 'compatibility_level = 3.6\n');
  twins.file('aliases', '\xc3\x89T\xc3\x89: summer\nbad\xff: latin1\nok: bad\xffvalue\nSTRASSE: street\n');
  await sameInTwins(t, twins, 'postalias', ['lmdb:aliases']);
  sameContent(t, twins, 'lmdb', 'aliases', undefined, withoutBuildTime);
  await sameInTwins(t, twins, 'postalias', ['-q', '-', 'lmdb:aliases'], { input: '\xc3\xa9t\xc3\xa9\nstrasse\nok\n' });
});

test('the command line, other table types and missing files', async (t) => {
  if (!requireRoot(t)) return;
  const twins = twinDirs(t, 'default_database_type = cdb\n');
  twins.file('aliases', 'a: 1\n');
  const runs: string[][] = [
    ['aliases'], ['-q', 'a', 'aliases'], ['-q', 'a', 'missing'], ['missing'], ['texthash:aliases'], ['-q', 'a', 'texthash:aliases'],
    ['-q', '-', 'texthash:aliases', 'cdb:aliases'], ['-s', 'texthash:aliases'], ['-q', 'x', 'fail:aliases'],
    ['-d', 'x', 'fail:aliases'], ['-s', 'fail:aliases'], ['fail:aliases'], ['proxy:hash:aliases'], ['-q', 'x'], ['-s'], ['-d', 'x'],
    [], ['-b', 'aliases'], ['-q', 'x', '-s', 'aliases'], ['-s', '-d', 'x', 'aliases'], ['-q', 'x', 'inline:{x=y}'],
  ];
  for (const args of runs) await sameInTwins(t, twins, 'postalias', args, { input: 'a\n', env: { NORANDOMIZE: '1' } });
});
