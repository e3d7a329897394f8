/*
 * mail_queue: queue IDs and hashed paths, checked against the names and places of the
 * reference-made vectors (MANIFEST.txt records each file's inode and microseconds), and
 * mailQueueEnter() on a real directory.
 */
import test from 'ava';
import { chownSync, closeSync, fstatSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_QUEUE_LAYOUT, QUEUE_DIRECTORIES, createQueueDirectories, dirForest, longQueueId, mailQueueDir, mailQueueEnter, mailQueueIdOk, mailQueueNameOk,
  mailQueuePath, mailQueueRename, queueIdInode, shortQueueId, type QueueLayout,
} from '../../src/global/mail_queue.js';
import { requireRoot, runReference, tempDir } from '../helpers/diff.js';
import { REFERENCE_ROOT } from '../helpers/paths.js';
import { getgrnam, getpwnam } from '../../src/util/pwd.js';
import { VECTOR_DIR } from '../helpers/queue_vectors.js';

interface ManifestEntry {
  path: string;
  id: string;
  long: boolean;
  inode: number;
  usec: number;
  sec?: number;
}

const MANIFEST: ManifestEntry[] = readFileSync(join(VECTOR_DIR, 'MANIFEST.txt'), 'latin1').split('\n').flatMap((line) => {
  const m = /^(\S+)\s.*\b(short|long)-id inode=(\d+) usec=(\d+)\(hex \w+\)(?: sec=(\d+))?/.exec(line);
  if (m === null) return [];
  const id = m[1]!.split('/').pop()!.replace(/\..*/, '');
  return [{ path: m[1]!, id, long: m[2] === 'long', inode: Number(m[3]), usec: Number(m[4]), sec: m[5] === undefined ? undefined : Number(m[5]) }];
});

test('the manifest lists short and long IDs', (t) => {
  t.true(MANIFEST.filter((e) => e.long).length >= 5);
  t.true(MANIFEST.filter((e) => !e.long).length >= 10);
});

test('queue IDs are built from time and inode exactly as the reference built them', (t) => {
  for (const e of MANIFEST) {
    const built = e.long ? longQueueId(e.sec!, e.usec, e.inode) : shortQueueId(e.usec, e.inode);
    t.is(built, e.id, e.path);
    t.deepEqual(queueIdInode(e.id), { inode: BigInt(e.inode), long: e.long }, e.path);
    t.true(mailQueueIdOk(e.id));
  }
});

test('deferred and defer files sit where the default hashing puts them', (t) => {
  let checked = 0;
  for (const queue of ['deferred', 'defer']) {
    for (const sub of readdirSync(join(VECTOR_DIR, queue))) {
      for (const id of readdirSync(join(VECTOR_DIR, queue, sub))) {
        t.is(mailQueuePath(DEFAULT_QUEUE_LAYOUT, queue, id), `${queue}/${sub}/${id}`);
        checked++;
      }
    }
  }
  t.true(checked >= 13);
  t.is(mailQueuePath(DEFAULT_QUEUE_LAYOUT, 'incoming', '5A8DD20E6FB'), 'incoming/5A8DD20E6FB');
});

test('deeper hashing: one level per character, long IDs by their microseconds, "_" when short', (t) => {
  const layout: QueueLayout = { hashQueueNames: ['Deferred', 'flush'], hashQueueDepth: 3, longQueueIds: false };
  t.is(mailQueueDir(layout, 'deferred', '5938520E862'), 'deferred/5/9/3/');
  // 4jWzx63t6VzJF1T: microseconds 546546 = 0x856F2.
  t.is(mailQueueDir(layout, 'deferred', '4jWzx63t6VzJF1T'), 'deferred/8/5/6/');
  t.is(mailQueueDir(layout, 'flush', 'ab'), 'flush/a/b/_/');
  t.is(dirForest('x', 2), 'x/_/');
  t.is(mailQueueDir(layout, 'hold', '5938520E862'), 'hold/');
});

test('queue names and IDs are checked like Postfix checks them', (t) => {
  t.true(mailQueueNameOk('deferred'));
  t.false(mailQueueNameOk('de-ferred'));
  t.false(mailQueueNameOk(''));
  t.false(mailQueueIdOk('a.b'));
  t.false(mailQueueIdOk('x'.repeat(256)));
  t.true(mailQueueIdOk('remote_example'));
  t.is(queueIdInode('12345XYZ'), null);
});

for (const longQueueIds of [false, true]) {
  test(`mailQueueEnter makes a ${longQueueIds ? 'long' : 'short'} ID from the inode and renames into a hashed directory`, (t) => {
    const top = tempDir(t);
    mkdirSync(join(top, 'deferred'));
    const layout = { ...DEFAULT_QUEUE_LAYOUT, longQueueIds };
    const entry = mailQueueEnter(top, layout, 'deferred', 0o600);
    const st = fstatSync(entry.fd, { bigint: true });
    closeSync(entry.fd);
    t.deepEqual(queueIdInode(entry.queueId), { inode: st.ino, long: longQueueIds });
    t.is(entry.path, mailQueuePath(layout, 'deferred', entry.queueId));
    t.is(statSync(join(top, entry.path)).mode & 0o777, 0o600);
    const hashDir = entry.path.split('/').slice(0, 2).join('/');
    t.is(statSync(join(top, hashDir)).mode & 0o777, 0o700);
    t.deepEqual(readdirSync(join(top, hashDir)), [entry.queueId], 'no temporary file is left behind');
    const expectId = longQueueIds ? longQueueId(entry.time.sec, entry.time.usec, st.ino) : shortQueueId(entry.time.usec, st.ino);
    t.is(entry.queueId, expectId);
    mkdirSync(join(top, 'hold'));
    t.is(mailQueueRename(top, layout, entry.queueId, 'deferred', 'hold'), undefined);
    t.true(statSync(join(top, 'hold', entry.queueId)).isFile());
    t.is(mailQueueRename(top, layout, entry.queueId, 'deferred', 'hold'), 'ENOENT');
  });
}

test('queue directory owners and modes are those of the reference postfix-files', (t) => {
  const lines = readFileSync(join(REFERENCE_ROOT, 'etc/postfix/postfix-files'), 'latin1').split('\n')
    .filter((l) => l.startsWith('$queue_directory') && l.split(':')[1] === 'd');
  const theirs = lines.map((l) => {
    const [path, , owner, group, mode] = l.split(':');
    return [path!.replace(/^\$queue_directory\/?/, ''), owner === 'root' ? 'root' : 'mail_owner', group === '-' ? null : 'setgid_group', Number.parseInt(mode!, 8)];
  }).sort();
  const ours = QUEUE_DIRECTORIES.map((d) => [d.name, d.owner, d.group, d.mode]).sort();
  t.deepEqual(ours, theirs);
});

test('a queue tree made by createQueueDirectories is one the reference postsuper accepts', async (t) => {
  if (!requireRoot(t)) return;
  const dir = tempDir(t);
  const spool = join(dir, 'spool');
  const owner = getpwnam('postfix')!;
  createQueueDirectories(spool, { ownerUid: owner.uid, ownerGid: owner.gid, setgidGid: getgrnam('postdrop')! });
  t.is(statSync(join(spool, 'maildrop')).mode & 0o7777, 0o730);
  t.is(statSync(join(spool, 'maildrop')).gid, getgrnam('postdrop')!);
  t.is(statSync(join(spool, 'pid')).uid, 0);
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'main.cf'), `queue_directory = ${spool}\n`);
  const layout = { ...DEFAULT_QUEUE_LAYOUT };
  const entry = mailQueueEnter(spool, layout, 'deferred', 0o700);
  closeSync(entry.fd);
  // Daemons write the queue as mail_owner; this test wrote it as root.
  for (const path of [join(spool, entry.path), join(spool, entry.path, '..')]) chownSync(path, owner.uid, owner.gid);
  const ref = await runReference('postsuper', ['-d', entry.queueId], { env: { MAIL_CONFIG: join(dir, 'etc') } });
  t.is(ref.stderr, `postsuper: ${entry.queueId}: removed\npostsuper: Deleted: 1 message\n`);
  t.is(ref.status, 0);
});
