/*
 * dict_lmdb - the "lmdb" table type: an LMDB file "name.lmdb" without a lock file.
 * Counterpart: postfix/src/util/dict_lmdb.c, on slmdb.ts (liblmdb.so.0, as Debian's
 * postfix-lmdb uses). The same operations in the same order make the same file as the
 * reference. A bulk build that outgrows the memory map restarts from the first source
 * line with a larger map (DictBulkRestart), as Postfix's does with longjmp().
 */
import { msg } from './msg.js';
import { errnoOf, percentM } from './strerror.js';
import { myflock, MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OP_NONE, MYFLOCK_OP_SHARED, MYFLOCK_STYLE_FCNTL } from './myflock.js';
import { cString } from './stringops.js';
import {
  Dict, DICT_FLAG_BULK_UPDATE, DICT_FLAG_DUP_IGNORE, DICT_FLAG_DUP_REPLACE, DICT_FLAG_DUP_WARN, DICT_FLAG_FIXED,
  DICT_FLAG_LOCK, DICT_FLAG_MULTI_WRITER, DICT_FLAG_TRY0NULL, DICT_FLAG_TRY1NULL, DICT_SEQ_FUN_FIRST, DICT_SEQ_FUN_NEXT,
  O_RDONLY, dictDebug, dictFileState, dictSurrogate, type DictEntry, warnOlderThanSource,
} from './dict.js';
import {
  MDB_FIRST, MDB_KEYEXIST, MDB_MAP_FULL, MDB_MAP_RESIZED, MDB_NEXT, MDB_NOLOCK, MDB_NOOVERWRITE, MDB_NOSUBDIR, MDB_NOTFOUND,
  MDB_RDONLY, MDB_READERS_FULL, MDB_SUCCESS, MdbValPair, SIZEOF_MDB_VAL, SLMDB_FLAG_BULK, Slmdb, mdbStrerror, mdbValBytes,
} from './slmdb.js';

/** Postfix: dict_lmdb_map_size (lmdb_map_size). */
let dictLmdbMapSize = 8192n;
export function setDictLmdbMapSize(size: bigint): void {
  dictLmdbMapSize = size;
}

const DICT_LMDB_SIZE_INCR = 2;
const DICT_LMDB_SIZE_MAX = (1n << 63n) - 1n;
const DICT_LMDB_API_RETRY_LIMIT = 2;
const DICT_LMDB_BULK_RETRY_LIMIT = 2 * 8 * 8;

const scopy = (bytes: Buffer) => cString(bytes.toString('latin1'));

class DictLmdb extends Dict {
  private readonly vals = new MdbValPair();

  constructor(name: string, readonly slmdb: Slmdb) {
    super('lmdb', name);
  }

  private async get(key: string, nul: boolean): Promise<string | null> {
    this.vals.setKey(key, nul);
    const status = await this.slmdb.get(this.vals.key, this.vals.value);
    if (status === 0) return scopy(mdbValBytes(this.vals.value));
    if (status !== MDB_NOTFOUND) msg.fatal(`error reading ${this.type}:${this.name}: ${mdbStrerror(status)}`);
    return null;
  }

  override async lookup(key: string): Promise<string | null> {
    this.error = 0;
    this.requireNullFlags('dict_lmdb_lookup');
    const name = cString(this.foldFix(key));
    this.lockAccess(MYFLOCK_OP_SHARED, 'lock');
    let result: string | null = null;
    if (this.flags & DICT_FLAG_TRY1NULL) {
      result = await this.get(name, true);
      if (result !== null) this.flags &= ~DICT_FLAG_TRY0NULL;
    }
    if (result === null && (this.flags & DICT_FLAG_TRY0NULL)) {
      result = await this.get(name, false);
      if (result !== null) this.flags &= ~DICT_FLAG_TRY1NULL;
    }
    this.lockAccess(MYFLOCK_OP_NONE, 'unlock');
    return result;
  }

  override async update(key: string, value: string): Promise<number> {
    this.error = 0;
    this.requireNullFlags('dict_lmdb_update');
    const name = cString(this.foldFix(key));
    // Undecided about the null byte: this platform's Postfix appends one.
    if ((this.flags & DICT_FLAG_TRY1NULL) && (this.flags & DICT_FLAG_TRY0NULL)) this.flags &= ~DICT_FLAG_TRY0NULL;
    this.vals.setPair(name, cString(value), (this.flags & DICT_FLAG_TRY1NULL) !== 0);
    this.lockAccess(MYFLOCK_OP_EXCLUSIVE, 'lock');
    const status = await this.slmdb.put(this.vals.key, this.vals.value, this.flags & DICT_FLAG_DUP_REPLACE ? 0 : MDB_NOOVERWRITE);
    if (status === MDB_KEYEXIST) {
      if (this.flags & DICT_FLAG_DUP_IGNORE) {
        // keep the first
      } else if (this.flags & DICT_FLAG_DUP_WARN) {
        msg.warn(`${this.type}:${this.name}: duplicate entry: "${name}"`);
      } else {
        msg.fatal(`${this.type}:${this.name}: duplicate entry: "${name}"`);
      }
    } else if (status !== 0) {
      msg.fatal(`error updating ${this.type}:${this.name}: ${mdbStrerror(status)}`);
    }
    this.lockAccess(MYFLOCK_OP_NONE, 'unlock');
    return status;
  }

  private async del(key: string, nul: boolean): Promise<number> {
    this.vals.setKey(key, nul);
    const status = await this.slmdb.del(this.vals.key);
    if (status === MDB_NOTFOUND) return 1;
    if (status !== 0) msg.fatal(`error deleting from ${this.type}:${this.name}: ${mdbStrerror(status)}`);
    return 0;
  }

  override async delete(key: string): Promise<number> {
    this.error = 0;
    this.requireNullFlags('dict_lmdb_delete');
    const name = cString(this.foldFix(key));
    let status = 1;
    this.lockAccess(MYFLOCK_OP_EXCLUSIVE, 'lock');
    if (this.flags & DICT_FLAG_TRY1NULL) {
      status = await this.del(name, true);
      if (status === 0) this.flags &= ~DICT_FLAG_TRY0NULL;
    }
    if (status > 0 && (this.flags & DICT_FLAG_TRY0NULL)) {
      status = await this.del(name, false);
      if (status === 0) this.flags &= ~DICT_FLAG_TRY1NULL;
    }
    this.lockAccess(MYFLOCK_OP_NONE, 'unlock');
    return status;
  }

  override async sequence(func: number): Promise<DictEntry | null> {
    this.error = 0;
    let op: number;
    if (func === DICT_SEQ_FUN_FIRST) op = MDB_FIRST;
    else if (func === DICT_SEQ_FUN_NEXT) op = MDB_NEXT;
    else return msg.panic(`dict_lmdb_sequence: invalid function: ${func}`);
    this.lockAccess(MYFLOCK_OP_SHARED, 'lock');
    const key = Buffer.alloc(SIZEOF_MDB_VAL);
    const value = Buffer.alloc(SIZEOF_MDB_VAL);
    const status = await this.slmdb.cursorGet(key, value, op);
    let entry: DictEntry | null = null;
    if (status === 0) {
      entry = { key: scopy(mdbValBytes(key)), value: scopy(mdbValBytes(value)) };
    } else if (status !== MDB_NOTFOUND) {
      msg.fatal(`error seeking ${this.type}:${this.name}: ${mdbStrerror(status)}`);
    }
    this.lockAccess(MYFLOCK_OP_NONE, 'unlock');
    return entry;
  }

  override async close(): Promise<void> {
    await this.slmdb.close();
  }

  /** Postfix: dict_lmdb_notify(). */
  notify(code: number, limit?: bigint): void {
    const label = `database ${this.type}:${this.name}`;
    if (code === MDB_SUCCESS) msg.info(`${label}: using size limit ${limit} during open`);
    else if (code === MDB_MAP_FULL) msg.info(`${label}: using size limit ${limit} after MDB_MAP_FULL`);
    else if (code === MDB_MAP_RESIZED) msg.info(`${label}: using size limit ${limit} after MDB_MAP_RESIZED`);
    else if (code === MDB_READERS_FULL) msg.info(`${label}: pausing after MDB_READERS_FULL`);
    else msg.warn(`unknown MDB error code: ${code}`);
  }
}

/** Postfix: dict_lmdb_open(). */
export async function dictLmdbOpen(path: string, openFlags: number, dictFlags: number): Promise<Dict> {
  const mdbPath = `${path}.lmdb`;
  let mdbFlags = MDB_NOSUBDIR | MDB_NOLOCK;
  if (openFlags === O_RDONLY) mdbFlags |= MDB_RDONLY;
  const slmdbFlags = dictFlags & DICT_FLAG_BULK_UPDATE ? SLMDB_FLAG_BULK : 0;
  const slmdb = new Slmdb(dictLmdbMapSize, DICT_LMDB_SIZE_INCR, DICT_LMDB_SIZE_MAX);
  const status = slmdb.open(mdbPath, openFlags, mdbFlags, slmdbFlags);
  if (status !== 0) return dictSurrogate('lmdb', path, openFlags, dictFlags, `open database ${mdbPath}: ${mdbStrerror(status)}`);
  // A build waits until no reader uses old pages, then keeps other writers out.
  if (dictFlags & DICT_FLAG_BULK_UPDATE) {
    try {
      myflock(slmdb.fd, MYFLOCK_STYLE_FCNTL, MYFLOCK_OP_EXCLUSIVE);
    } catch (err) {
      msg.fatal(`${mdbPath}: lock dictionary: ${percentM(errnoOf(err) ?? 0)}`);
    }
    try {
      myflock(slmdb.fd, MYFLOCK_STYLE_FCNTL, MYFLOCK_OP_SHARED);
    } catch (err) {
      msg.fatal(`${mdbPath}: unlock dictionary: ${percentM(errnoOf(err) ?? 0)}`);
    }
  }
  const dict = new DictLmdb(path, slmdb);
  dictFileState(dict, slmdb.fd, MYFLOCK_STYLE_FCNTL);
  if (dictFlags & DICT_FLAG_LOCK) warnOlderThanSource(dict, mdbPath, path);
  dict.flags = dictFlags | DICT_FLAG_FIXED | DICT_FLAG_MULTI_WRITER;
  if ((dictFlags & (DICT_FLAG_TRY0NULL | DICT_FLAG_TRY1NULL)) === 0) dict.flags |= DICT_FLAG_TRY0NULL | DICT_FLAG_TRY1NULL;
  slmdb.apiRetryLimit = DICT_LMDB_API_RETRY_LIMIT;
  slmdb.bulkRetryLimit = DICT_LMDB_BULK_RETRY_LIMIT;
  slmdb.restartable = (dictFlags & DICT_FLAG_BULK_UPDATE) !== 0;
  if (msg.verbose) slmdb.notify = (code, limit) => dict.notify(code, limit);
  if (msg.verbose) dict.notify(MDB_SUCCESS, slmdb.currLimit);
  return dictDebug(dict);
}
