/*
 * newaliases, sendmail -bi and sendmail -I, ours against the reference: each runs its own
 * postalias from command_directory on alias_database (or on -oA's file), with the same
 * messages, exit status and resulting databases.
 */
import test, { type ExecutionContext } from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference, type RunResult } from '../helpers/diff.js';
import { OUR_COMMAND_DIR, REF_COMMAND_DIR, REFERENCE_ROOT } from '../helpers/paths.js';
import { twinDirs, type Twins } from '../postmap/_tables.js';
import { sameContent } from '../postmap/_indexed.js';

/** Twins whose main.cf points each side at its own postalias and at its own directory. */
function aliasTwins(t: ExecutionContext, aliasDatabase: (dir: string) => string): Twins {
  const twins = twinDirs(t);
  for (const [dir, commands] of [[twins.ours.dir, OUR_COMMAND_DIR], [twins.ref.dir, REF_COMMAND_DIR]] as const) {
    writeFileSync(join(dir, 'main.cf'), `command_directory = ${commands}\nqueue_directory = ${dir}\nalias_database = ${aliasDatabase(dir)}\n`
      + `meta_directory = ${REFERENCE_ROOT}/etc/postfix\nshlib_directory = ${REFERENCE_ROOT}/usr/lib/postfix\n`);
  }
  return twins;
}

/** Both sides, each with its own directory; directory names are made alike before comparing. */
async function same(t: ExecutionContext, twins: Twins, command: string, args: (dir: string) => string[]): Promise<void> {
  const [ours, ref] = await Promise.all([
    runOurs(command, args(twins.ours.dir), { cwd: twins.ours.dir }),
    runReference(command, args(twins.ref.dir), { cwd: twins.ref.dir }),
  ]);
  const alike = (r: RunResult, dir: string): RunResult => ({ ...r, stderr: r.stderr.split(dir).join('DIR') });
  t.deepEqual(alike(ours, twins.ours.dir), alike(ref, twins.ref.dir), `${command} ${args('DIR').join(' ')}`);
}

const ALIASES = 'postmaster: root\nroot: admin, "user name"\nbad@remote: x\nlist: a,\n  b\n';

test('newaliases, -bi and -I rebuild alias_database', async (t) => {
  if (!requireRoot(t)) return;
  const twins = aliasTwins(t, (dir) => `hash:${dir}/aliases, cdb:${dir}/aliases`);
  twins.file('aliases', ALIASES);
  await same(t, twins, 'newaliases', (dir) => ['-C', dir]);
  sameContent(t, twins, 'cdb', 'aliases', undefined, (file) => Buffer.from(file.toString('latin1').replace(/\d{10}/g, '0'.repeat(10)), 'latin1'));
  await same(t, twins, 'sendmail', (dir) => ['-C', dir, '-bi']);
  await same(t, twins, 'sendmail', (dir) => ['-C', dir, '-I']);
  await same(t, twins, 'sendmail', (dir) => ['-C', dir, '-bi', 'recipient@example.com']);
  await same(t, twins, 'newaliases', (dir) => ['-C', dir, '-v', '-oA']);
});

test('-oA names another alias file; an empty alias_database does nothing', async (t) => {
  if (!requireRoot(t)) return;
  const twins = aliasTwins(t, () => '');
  twins.file('other', ALIASES);
  await same(t, twins, 'newaliases', (dir) => ['-C', dir]);
  await same(t, twins, 'newaliases', (dir) => ['-C', dir, `-oAlmdb:${dir}/other`]);
  sameContent(t, twins, 'lmdb', 'other', undefined, (file) => Buffer.from(file.toString('latin1').replace(/\d{10}/g, '0'.repeat(10)), 'latin1'));
  await same(t, twins, 'newaliases', (dir) => ['-C', dir, `-oAlmdb:${dir}/missing`]);
});
