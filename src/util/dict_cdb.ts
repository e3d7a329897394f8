/*
 * dict_cdb - the "cdb" table type: constant databases "name.cdb", built into
 * "name.cdb.tmp" and renamed into place.
 * Counterpart: postfix/src/util/dict_cdb.c with tinycdb, as Debian's postfix-cdb is
 * built: we drive the same libcdb.so.1 through koffi, so files are byte for byte the
 * reference's. Like Postfix's, a cdb table can be built and queried, not listed or edited.
 * Structure layouts are tinycdb 0.78's on x86_64 (test/util/dict_db.test.ts checks them).
 */
import koffi from 'koffi';
import { closeSync, fstatSync, ftruncateSync, openSync, renameSync, statSync } from 'node:fs';
import { msg } from './msg.js';
import { errnoOf, percentM } from './strerror.js';
import { lastErrno } from './sys_libc.js';
import { myflock, MYFLOCK_OP_EXCLUSIVE, MYFLOCK_STYLE_FLOCK } from './myflock.js';
import { cString } from './stringops.js';
import {
  Dict, DICT_FLAG_DUP_IGNORE, DICT_FLAG_DUP_REPLACE, DICT_FLAG_DUP_WARN, DICT_FLAG_FIXED, DICT_FLAG_TRY0NULL,
  DICT_FLAG_TRY1NULL, O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, dictDebug, dictFileState, dictSurrogate,
  warnOlderThanSource,
} from './dict.js';

/* <cdb.h> of tinycdb 0.78 on x86_64. */
export const CDB_LAYOUT = { cdb: { size: 40, cdb_vpos: 24, cdb_vlen: 28 }, cdb_make: { size: 6168 } } as const;
export const CDB_PUT_REPLACE = 1;
export const CDB_PUT_INSERT = 2;
export const CDB_PUT_ADD = 0;

interface Libcdb {
  init(cdb: Buffer, fd: number): number;
  free(cdb: Buffer): void;
  find(cdb: Buffer, key: Buffer, klen: number): number;
  read(cdb: Buffer, buf: Buffer, len: number, pos: number): number;
  makeStart(cdbm: Buffer, fd: number): number;
  makePut(cdbm: Buffer, key: Buffer, klen: number, val: Buffer, vlen: number, mode: number): number;
  makeFinish(cdbm: Buffer): number;
}

let libcdb: Libcdb | undefined;

function lib(): Libcdb {
  if (libcdb !== undefined) return libcdb;
  const l = koffi.load('libcdb.so.1');
  libcdb = {
    init: l.func('int cdb_init(void *cdb, int fd)'),
    free: l.func('void cdb_free(void *cdb)'),
    find: l.func('int cdb_find(void *cdb, void *key, unsigned int klen)'),
    read: l.func('int cdb_read(void *cdb, void *buf, unsigned int len, unsigned int pos)'),
    makeStart: l.func('int cdb_make_start(void *cdbm, int fd)'),
    makePut: l.func('int cdb_make_put(void *cdbm, void *key, unsigned int klen, void *val, unsigned int vlen, int mode)'),
    makeFinish: l.func('int cdb_make_finish(void *cdbm)'),
  };
  return libcdb;
}

const bytesOf = (text: string) => Buffer.from(text, 'latin1');
const mPercent = (err: unknown) => percentM(errnoOf(err) ?? 0);

/* Query mode. */
class DictCdbq extends Dict {
  cdb = Buffer.alloc(CDB_LAYOUT.cdb.size);

  override async lookup(key: string): Promise<string | null> {
    this.error = 0;
    const name = bytesOf(cString(this.foldFix(key)));
    let status = 0;
    // With a terminating null byte, then without; stick to what works.
    if (this.flags & DICT_FLAG_TRY1NULL) {
      const withNull = Buffer.concat([name, Buffer.alloc(1)]);
      status = lib().find(this.cdb, withNull, withNull.length);
      if (status > 0) this.flags &= ~DICT_FLAG_TRY0NULL;
    }
    if (status === 0 && (this.flags & DICT_FLAG_TRY0NULL)) {
      status = lib().find(this.cdb, name, name.length);
      if (status > 0) this.flags &= ~DICT_FLAG_TRY1NULL;
    }
    if (status < 0) msg.fatal(`error reading ${this.name}: ${percentM(lastErrno())}`);
    if (status === 0) return null;
    const len = this.cdb.readUInt32LE(CDB_LAYOUT.cdb.cdb_vlen);
    const buf = Buffer.alloc(len);
    if (lib().read(this.cdb, buf, len, this.cdb.readUInt32LE(CDB_LAYOUT.cdb.cdb_vpos)) < 0) {
      msg.fatal(`error reading ${this.name}: ${percentM(lastErrno())}`);
    }
    return cString(buf.toString('latin1'));
  }

  override async close(): Promise<void> {
    lib().free(this.cdb);
    closeSync(this.statFd);
  }
}

/** Postfix: dict_cdbq_open(). */
function cdbqOpen(path: string, dictFlags: number): Dict {
  const cdbPath = `${path}.cdb`;
  let fd: number;
  try {
    fd = openSync(cdbPath, O_RDONLY);
  } catch (err) {
    return dictSurrogate('cdb', path, O_RDONLY, dictFlags, `open database ${cdbPath}: ${mPercent(err)}`);
  }
  const dict = new DictCdbq('cdb', cdbPath);
  if (lib().init(dict.cdb, fd) !== 0) msg.fatal(`dict_cdbq_open: unable to init ${cdbPath}: ${percentM(lastErrno())}`);
  // A constant database needs no lock: only the state for change detection.
  dictFileState(dict, fd, dict.lockType);
  dict.lockFd = -1;
  warnOlderThanSource(dict, cdbPath, path);
  if ((dictFlags & (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL)) === 0) dictFlags |= DICT_FLAG_TRY0NULL | DICT_FLAG_TRY1NULL;
  dict.flags = dictFlags | DICT_FLAG_FIXED;
  return dictDebug(dict);
}

/* Create mode. */
class DictCdbm extends Dict {
  cdbm = Buffer.alloc(CDB_LAYOUT.cdb_make.size);
  fd = -1;
  cdbPath = '';
  tmpPath = '';
  private scratch = Buffer.alloc(4096);

  override async update(key: string, value: string): Promise<number> {
    this.error = 0;
    const name = cString(this.foldFix(key));
    const nul = this.flags & DICT_FLAG_TRY1NULL ? 1 : 0;
    // Key and value bytes go into one reused buffer (the library copies them).
    const data = cString(value);
    if (this.scratch.length < name.length + data.length + 2) this.scratch = Buffer.alloc(2 * (name.length + data.length + 2));
    const kLen = this.scratch.write(name, 0, 'latin1') + nul;
    if (nul) this.scratch[kLen - 1] = 0;
    const vLen = this.scratch.write(data, kLen, 'latin1') + nul;
    if (nul) this.scratch[kLen + vLen - 1] = 0;
    const mode = this.flags & DICT_FLAG_DUP_IGNORE ? CDB_PUT_ADD : this.flags & DICT_FLAG_DUP_REPLACE ? CDB_PUT_REPLACE : CDB_PUT_INSERT;
    const r = lib().makePut(this.cdbm, this.scratch, kLen, this.scratch.subarray(kLen), vLen, mode);
    if (r < 0) msg.fatal(`error writing ${this.tmpPath}: ${percentM(lastErrno())}`);
    if (r > 0) {
      if (this.flags & (DICT_FLAG_DUP_IGNORE | DICT_FLAG_DUP_REPLACE)) {
        // as asked
      } else if (this.flags & DICT_FLAG_DUP_WARN) {
        msg.warn(`${this.name}: duplicate entry: "${name}"`);
      } else {
        msg.fatal(`${this.name}: duplicate entry: "${name}"`);
      }
    }
    return r;
  }

  override async close(): Promise<void> {
    if (lib().makeFinish(this.cdbm) < 0) msg.fatal(`finish database ${this.tmpPath}: ${percentM(lastErrno())}`);
    try {
      renameSync(this.tmpPath, this.cdbPath);
    } catch (err) {
      msg.fatal(`rename database from ${this.tmpPath} to ${this.cdbPath}: ${mPercent(err)}`);
    }
    try {
      closeSync(this.fd); // releases the lock
    } catch (err) {
      msg.fatal(`close database ${this.cdbPath}: ${mPercent(err)}`);
    }
  }
}

/** Postfix: dict_cdbm_open(). */
function cdbmOpen(path: string, dictFlags: number): Dict {
  const cdbPath = `${path}.cdb`;
  const tmpPath = `${path}.cdb.tmp`;
  let fd: number;
  let st0;
  let st1;
  // Open and lock the temporary file, and make sure that it is still the file by that name.
  for (;;) {
    try {
      fd = openSync(tmpPath, O_RDWR | O_CREAT, 0o644);
    } catch (err) {
      return dictSurrogate('cdb', path, O_RDWR, dictFlags, `open database ${tmpPath}: ${mPercent(err)}`);
    }
    st0 = fstatSync(fd);
    try {
      myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE);
    } catch (err) {
      msg.fatal(`lock ${tmpPath}: ${mPercent(err)}`);
    }
    try {
      st1 = statSync(tmpPath);
    } catch (err) {
      msg.fatal(`stat(${tmpPath}): ${mPercent(err)}`);
    }
    if (st0.ino === st1.ino && st0.dev === st1.dev && st0.rdev === st1.rdev && st0.nlink === st1.nlink && st0.nlink > 0) break;
    closeSync(fd);
  }
  if (st0.size) ftruncateSync(fd, 0);
  const dict = new DictCdbm('cdb', path);
  if (lib().makeStart(dict.cdbm, fd) < 0) msg.fatal(`initialize database ${tmpPath}: ${percentM(lastErrno())}`);
  dict.fd = fd;
  dict.cdbPath = cdbPath;
  dict.tmpPath = tmpPath;
  dict.owner = { status: st1.uid !== 0 ? 1 : 0, uid: st1.uid };
  // Undecided about the null byte: cdb files are made without one.
  if ((dictFlags & (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL)) === 0) dictFlags |= DICT_FLAG_TRY0NULL;
  else if ((dictFlags & DICT_FLAG_TRY1NULL) && (dictFlags & DICT_FLAG_TRY0NULL)) dictFlags &= ~DICT_FLAG_TRY0NULL;
  dict.flags = dictFlags | DICT_FLAG_FIXED;
  return dictDebug(dict);
}

/** Postfix: dict_cdb_open(). */
export async function dictCdbOpen(path: string, openFlags: number, dictFlags: number): Promise<Dict> {
  switch (openFlags & (O_RDONLY | O_RDWR | O_WRONLY | O_CREAT | O_TRUNC)) {
    case O_RDONLY:
      return cdbqOpen(path, dictFlags);
    case O_WRONLY | O_CREAT | O_TRUNC:
    case O_RDWR | O_CREAT | O_TRUNC:
      return cdbmOpen(path, dictFlags);
    default:
      return msg.fatal('dict_cdb_open: inappropriate open flags for cdb database - specify O_RDONLY or O_WRONLY|O_CREAT|O_TRUNC');
  }
}
