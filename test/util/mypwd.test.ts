/*
 * mypwd: our password and group lookups agree with getent(1) for every entry of this
 * system, and report unknown names and ids as null.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { getgrgid, getgrnam, getpwnam, getpwuid, type MyGroup, type MyPasswd } from '../../src/util/mypwd.js';

function getent(database: string, ...keys: string[]): string[][] {
  return execFileSync('getent', [database, ...keys], { encoding: 'latin1' })
    .split('\n').filter((line) => line !== '').map((line) => line.split(':'));
}

function passwdFields(pwd: MyPasswd | null): string[] | null {
  return pwd === null ? null : [pwd.pw_name, pwd.pw_passwd, String(pwd.pw_uid), String(pwd.pw_gid), pwd.pw_gecos, pwd.pw_dir, pwd.pw_shell];
}

function groupFields(grp: MyGroup | null): string[] | null {
  return grp === null ? null : [grp.gr_name, grp.gr_passwd, String(grp.gr_gid), grp.gr_mem.join(',')];
}

test("getpwnam('postfix') matches getent passwd postfix", (t) => {
  const [expected] = getent('passwd', 'postfix');
  t.deepEqual(passwdFields(getpwnam('postfix')), expected!);
  t.deepEqual(passwdFields(getpwuid(Number(expected![2]))), expected!);
});

test('getpwnam and getpwuid match getent for every user', (t) => {
  for (const entry of getent('passwd')) {
    t.deepEqual(passwdFields(getpwnam(entry[0]!)), entry);
    t.is(getpwuid(Number(entry[2]))?.pw_uid, Number(entry[2]));
  }
});

test('getgrnam and getgrgid match getent for every group, members included', (t) => {
  const groups = getent('group');
  t.true(groups.some((g) => g[3] !== ''), 'this system has a group with members');
  for (const entry of groups) {
    t.deepEqual(groupFields(getgrnam(entry[0]!)), entry);
    t.is(getgrgid(Number(entry[2]))?.gr_gid, Number(entry[2]));
  }
  t.deepEqual(groupFields(getgrnam('postdrop')), getent('group', 'postdrop')[0]!);
});

test('unknown users and groups are null', (t) => {
  t.is(getpwnam('no-such-user-here'), null);
  t.is(getpwuid(4_000_000_000), null);
  t.is(getgrnam('no-such-group-here'), null);
  t.is(getgrgid(4_000_000_000), null);
});
