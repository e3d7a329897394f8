/*
 * mail_conf unit tests: the "cool down" rule of dict_load_file_xt() and load_file(), which
 * no differential test can pin down because it depends on how fast each side starts.
 */
import test from 'ava';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFileCooled } from '../../src/global/mail_conf.js';
import { tempDir } from '../helpers/diff.js';

test('a file modified within the last second is read again until it is older', (t) => {
  const path = join(tempDir(t), 'main.cf');
  writeFileSync(path, 'a = 1\n');
  let reads = 0;
  t.is(loadFileCooled(path, () => { reads++; }), undefined);
  t.true(reads >= 2, `read ${reads} time(s)`);
});

test('an older file is read once', (t) => {
  const path = join(tempDir(t), 'main.cf');
  writeFileSync(path, 'a = 1\n');
  const old = new Date(Date.now() - 60_000);
  utimesSync(path, old, old);
  let reads = 0;
  t.is(loadFileCooled(path, () => { reads++; }), undefined);
  t.is(reads, 1);
});

test('a missing file is an open error', (t) => {
  const err = loadFileCooled(join(tempDir(t), 'nonexistent'), () => t.fail('nothing to read'));
  t.is(err?.code, 'ENOENT');
});
