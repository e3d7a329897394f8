/*
 * dict_db, dict_cdb, slmdb: the Berkeley DB, tinycdb and LMDB structure offsets and
 * constants we use through koffi agree with db.h, cdb.h and lmdb.h on this system (a C
 * program compiled with cc prints the real values). Needs the libdb5.3-dev, libcdb-dev
 * and liblmdb-dev headers.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import * as db from '../../src/util/dict_db.js';
import * as cdb from '../../src/util/dict_cdb.js';
import * as lmdb from '../../src/util/slmdb.js';

test('Berkeley DB layouts and constants match db.h', (t) => {
  const lines: string[] = [];
  const emit = (expr: string, ours: number) => lines.push(`  printf("%s %ld %ld\\n", ${JSON.stringify(expr)}, (long) (${expr}), ${ours}L);`);
  emit('sizeof(DBT)', db.DB_LAYOUT.DBT.size);
  emit('offsetof(DBT, data)', db.DB_LAYOUT.DBT.data);
  emit('offsetof(DBT, size)', db.DB_LAYOUT.DBT.size_);
  emit('offsetof(DBT, flags)', db.DB_LAYOUT.DBT.flags);
  for (const struct of ['DB', 'DB_ENV', 'DBC'] as const) {
    for (const [member, offset] of Object.entries(db.DB_LAYOUT[struct])) emit(`offsetof(${struct}, ${member})`, offset);
  }
  const constants: Record<string, number> = {
    DB_BTREE: db.DB_BTREE, DB_HASH: db.DB_HASH, DB_CREATE: db.DB_CREATE, DB_RDONLY: db.DB_RDONLY,
    DB_FCNTL_LOCKING: db.DB_FCNTL_LOCKING, DB_TRUNCATE: db.DB_TRUNCATE, DB_INIT_MPOOL: db.DB_INIT_MPOOL,
    DB_PRIVATE: db.DB_PRIVATE, DB_NOOVERWRITE: db.DB_NOOVERWRITE, DB_FIRST: db.DB_FIRST, DB_NEXT: db.DB_NEXT,
    DB_NOTFOUND: db.DB_NOTFOUND, DB_KEYEXIST: db.DB_KEYEXIST, DB_KEYEMPTY: db.DB_KEYEMPTY,
    DB_VERSION_MAJOR: db.DB_VERSION[0], DB_VERSION_MINOR: db.DB_VERSION[1],
  };
  emit('sizeof(struct cdb)', cdb.CDB_LAYOUT.cdb.size);
  emit('offsetof(struct cdb, cdb_vpos)', cdb.CDB_LAYOUT.cdb.cdb_vpos);
  emit('offsetof(struct cdb, cdb_vlen)', cdb.CDB_LAYOUT.cdb.cdb_vlen);
  emit('sizeof(struct cdb_make)', cdb.CDB_LAYOUT.cdb_make.size);
  emit('sizeof(MDB_val)', lmdb.SIZEOF_MDB_VAL);
  emit('offsetof(MDB_val, mv_size)', 0);
  emit('offsetof(MDB_val, mv_data)', 8);
  Object.assign(constants, {
    CDB_PUT_ADD: cdb.CDB_PUT_ADD, CDB_PUT_REPLACE: cdb.CDB_PUT_REPLACE, CDB_PUT_INSERT: cdb.CDB_PUT_INSERT,
    MDB_NOSUBDIR: lmdb.MDB_NOSUBDIR, MDB_RDONLY: lmdb.MDB_RDONLY, MDB_NOLOCK: lmdb.MDB_NOLOCK,
    MDB_NOOVERWRITE: lmdb.MDB_NOOVERWRITE, MDB_KEYEXIST: lmdb.MDB_KEYEXIST, MDB_NOTFOUND: lmdb.MDB_NOTFOUND,
    MDB_PANIC: lmdb.MDB_PANIC, MDB_MAP_FULL: lmdb.MDB_MAP_FULL, MDB_READERS_FULL: lmdb.MDB_READERS_FULL,
    MDB_MAP_RESIZED: lmdb.MDB_MAP_RESIZED, MDB_FIRST: lmdb.MDB_FIRST, MDB_NEXT: lmdb.MDB_NEXT, MDB_SET: lmdb.MDB_SET,
    'sizeof(MDB_envinfo)': lmdb.SIZEOF_MDB_ENVINFO, 'offsetof(MDB_envinfo, me_mapsize)': lmdb.ME_MAPSIZE,
  });
  for (const [name, value] of Object.entries(constants)) emit(name, value);
  const dir = tempDir(t);
  const source = join(dir, 'layout.c');
  writeFileSync(source, `#include <stddef.h>\n#include <stdio.h>\n#include <db.h>\n#include <cdb.h>\n#include <lmdb.h>\nint main(void)\n{\n${lines.join('\n')}\n  return 0;\n}\n`);
  execFileSync(process.env.CC || 'cc', ['-Wall', '-Werror', '-o', join(dir, 'layout'), source]);
  const output = execFileSync(join(dir, 'layout'), { encoding: 'latin1' }).trim().split('\n');
  t.is(output.length, lines.length);
  for (const line of output) {
    const [what, real, ours] = line.split(/ (?=-?\d+ -?\d+$)| (?=-?\d+$)/);
    t.is(ours, real, what);
  }
});
