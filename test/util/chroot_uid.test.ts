/*
 * chroot_uid and set_ugid, in child processes (a chroot cannot be undone): the child
 * reports what it sees afterwards, or dies with Postfix's fatal message.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireRoot, tempDir } from '../helpers/diff.js';
import { DIST } from '../helpers/paths.js';
import { getpwnam } from '../../src/util/mypwd.js';

/* The child: argv is [function, ...arguments]; prints ids, groups, cwd and / as JSON. */
function runChild(t: Parameters<typeof tempDir>[0], args: string[]): { status: number | null; stdout: string; stderr: string } {
  const module = (name: string) => pathToFileURL(join(DIST, 'src/util', `${name}.js`)).href;
  const script = join(tempDir(t), 'child.mjs');
  writeFileSync(script, `
import { readdirSync } from 'node:fs';
import { msgVstreamInit } from ${JSON.stringify(module('msg'))};
import { chrootUid } from ${JSON.stringify(module('chroot_uid'))};
import { setUgid } from ${JSON.stringify(module('set_ugid'))};
msgVstreamInit('child', 2);
const [fn, a, b] = process.argv.slice(2);
if (fn === 'chroot') chrootUid(a === '-' ? null : a, b === '-' ? null : b);
else setUgid(Number(a), Number(b));
process.stdout.write(JSON.stringify({
  uid: process.getuid(), euid: process.geteuid(), gid: process.getgid(), egid: process.getegid(),
  groups: process.getgroups(), cwd: process.cwd(), root: readdirSync('/').sort(),
}) + '\\n');
`);
  // A child that gives up root cannot write coverage into the runner's directory. Node
  // hands NODE_V8_COVERAGE to every child it spawns, so env(1) takes it away.
  const run = spawnSync('env', ['-u', 'NODE_V8_COVERAGE', process.execPath, script, ...args],
    { encoding: 'latin1', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('chrootUid enters the jail and becomes the user', (t) => {
  if (!requireRoot(t)) return;
  const jail = tempDir(t);
  chmodSync(jail, 0o755); // readable by nobody, inside
  mkdirSync(join(jail, 'etc'));
  writeFileSync(join(jail, 'marker'), '');
  const nobody = getpwnam('nobody')!;
  const run = runChild(t, ['chroot', jail, 'nobody']);
  t.is(run.stderr, '');
  t.deepEqual(JSON.parse(run.stdout), {
    uid: nobody.pw_uid, euid: nobody.pw_uid, gid: nobody.pw_gid, egid: nobody.pw_gid,
    groups: [nobody.pw_gid], cwd: '/', root: ['etc', 'marker'],
  });
});

test('chrootUid with only a user, or only a directory', (t) => {
  if (!requireRoot(t)) return;
  const postfix = getpwnam('postfix')!;
  const userOnly = JSON.parse(runChild(t, ['chroot', '-', 'postfix']).stdout);
  t.is(userOnly.uid, postfix.pw_uid);
  t.is(userOnly.gid, postfix.pw_gid);
  t.true(userOnly.root.includes('proc'), 'no chroot');
  const jail = tempDir(t);
  const dirOnly = JSON.parse(runChild(t, ['chroot', jail, '-']).stdout);
  t.is(dirOnly.uid, 0);
  t.deepEqual(dirOnly.root, []);
});

test('chrootUid failures are fatal with the Postfix texts', (t) => {
  if (!requireRoot(t)) return;
  const unknown = runChild(t, ['chroot', '-', 'no-such-user-here']);
  t.is(unknown.stderr, 'child: fatal: unknown user: no-such-user-here\n');
  t.is(unknown.status, 1);
  const missing = join(tempDir(t), 'missing');
  const nodir = runChild(t, ['chroot', missing, '-']);
  t.is(nodir.stderr, `child: fatal: chroot(${missing}): No such file or directory\n`);
  t.is(nodir.status, 1);
});

test('setUgid sets all ids and leaves one group', (t) => {
  if (!requireRoot(t)) return;
  const run = JSON.parse(runChild(t, ['set_ugid', '12345', '23456']).stdout);
  t.like(run, { uid: 12345, euid: 12345, gid: 23456, egid: 23456, groups: [23456] });
});
