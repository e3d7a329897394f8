/*
 * dict_db - the "hash" and "btree" table types: Berkeley DB files "name.db".
 * Counterpart: postfix/src/util/dict_db.c with Berkeley DB 5.3, as Debian's Postfix is
 * built. We drive the same library (libdb-5.3.so) through koffi, with the same
 * environment, cache and hash settings, so that files are interchangeable with Postfix's:
 * same pages, same records, differing only in the file id that every build gets.
 * Berkeley DB's handles are structures of method pointers; the offsets below are those
 * of db.h 5.3 on x86_64 (test/util/dict_db.test.ts checks them against the header).
 */
import koffi from 'koffi';
import { closeSync, openSync } from 'node:fs';
import { msg } from './msg.js';
import { errnoOf, percentM } from './strerror.js';
import { myflock, MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OP_NONE, MYFLOCK_OP_SHARED, MYFLOCK_STYLE_FLOCK } from './myflock.js';
import { addressOf } from './sys_libc.js';
import {
  Dict, DICT_FLAG_DUP_IGNORE, DICT_FLAG_DUP_REPLACE, DICT_FLAG_DUP_WARN, DICT_FLAG_FIXED,
  DICT_FLAG_LOCK, DICT_FLAG_SYNC_UPDATE, DICT_FLAG_TRY0NULL, DICT_FLAG_TRY1NULL, DICT_SEQ_FUN_FIRST,
  DICT_SEQ_FUN_NEXT, O_CREAT, O_RDONLY, O_TRUNC, dictDebug, dictFileState, dictSurrogate, type DictEntry, warnOlderThanSource,
} from './dict.js';

/* db.h 5.3, x86_64: structure layouts and constants. */
export const DB_LAYOUT = {
  DBT: { size: 40, data: 0, size_: 8, flags: 32 },
  DB: { open: 1008, close: 568, get: 632, put: 1024, del: 592, sync: 1352, fd: 624, cursor: 584, set_h_nelem: 1192 },
  DB_ENV: { open: 1328, close: 488, get_cachesize: 576, set_cache_max: 1624, set_cachesize: 1632 },
  DBC: { get: 392, close: 352 },
} as const;
export const DB_BTREE = 1;
export const DB_HASH = 2;
export const DB_CREATE = 0x1;
export const DB_RDONLY = 0x400;
export const DB_FCNTL_LOCKING = 0x800;
export const DB_TRUNCATE = 0x20000;
export const DB_INIT_MPOOL = 0x400;
export const DB_PRIVATE = 0x10000;
export const DB_NOOVERWRITE = 20;
export const DB_FIRST = 7;
export const DB_NEXT = 16;
export const DB_NOTFOUND = -30988;
export const DB_KEYEXIST = -30994;
export const DB_KEYEMPTY = -30995;
export const DB_VERSION = [5, 3, 28] as const;

/** Postfix: DICT_DB_NELM, the hash table size hint. */
const DICT_DB_NELM = 4096;

/** Postfix: dict_db_cache_size (berkeley_db_read_buffer_size, or the create size). */
let dictDbCacheSize = 128 * 1024;
export function setDictDbCacheSize(size: number): void {
  dictDbCacheSize = size;
}

type Ptr = unknown;

interface Libdb {
  dbCreate(out: Ptr[], env: Ptr, flags: number): number;
  envCreate(out: Ptr[], flags: number): number;
  version(major: number[], minor: number[], patch: number[]): string;
  protos: Record<string, ReturnType<typeof koffi.proto>>;
}

let libdb: Libdb | undefined;

function lib(): Libdb {
  if (libdb !== undefined) return libdb;
  const l = koffi.load('libdb-5.3.so');
  const p = (decl: string) => koffi.proto(decl);
  libdb = {
    dbCreate: l.func('int db_create(_Out_ void **dbp, void *env, uint32_t flags)'),
    envCreate: l.func('int db_env_create(_Out_ void **envp, uint32_t flags)'),
    version: l.func('const char *db_version(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)'),
    protos: {
      envGetCachesize: p('int db_env_get_cachesize_fn(void *env, _Out_ uint32_t *gbytes, _Out_ uint32_t *bytes, _Out_ int *ncache)'),
      envSetCacheMax: p('int db_env_set_cache_max_fn(void *env, uint32_t gbytes, uint32_t bytes)'),
      envSetCachesize: p('int db_env_set_cachesize_fn(void *env, uint32_t gbytes, uint32_t bytes, int ncache)'),
      envOpen: p('int db_env_open_fn(void *env, void *home, uint32_t flags, int mode)'),
      envClose: p('int db_env_close_fn(void *env, uint32_t flags)'),
      setHNelem: p('int db_set_h_nelem_fn(void *db, uint32_t nelem)'),
      open: p('int db_open_fn(void *db, void *txn, void *file, void *database, int type, uint32_t flags, int mode)'),
      fd: p('int db_fd_fn(void *db, _Out_ int *fd)'),
      get: p('int db_get_fn(void *db, void *txn, void *key, void *data, uint32_t flags)'),
      put: p('int db_put_fn(void *db, void *txn, void *key, void *data, uint32_t flags)'),
      del: p('int db_del_fn(void *db, void *txn, void *key, uint32_t flags)'),
      sync: p('int db_sync_fn(void *db, uint32_t flags)'),
      close: p('int db_close_fn(void *db, uint32_t flags)'),
      cursor: p('int db_cursor_fn(void *db, void *txn, _Out_ void **cursor, uint32_t flags)'),
      cursorGet: p('int dbc_get_fn(void *dbc, void *key, void *data, uint32_t flags)'),
      cursorClose: p('int dbc_close_fn(void *dbc)'),
    },
  };
  return libdb;
}

type DbMethod = (...args: unknown[]) => number;

/** The method at offset in a Berkeley DB handle, as a function (look it up once per handle). */
function bindMethod(handle: Ptr, offset: number, proto: string): DbMethod {
  return koffi.decode(koffi.decode(handle, offset, 'void *'), lib().protos[proto]!) as DbMethod;
}

/** Call the method at offset in a Berkeley DB handle. */
function method(handle: Ptr, offset: number, proto: string, ...args: unknown[]): number {
  return bindMethod(handle, offset, proto)(handle, ...args);
}

const cString = (text: string) => Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(1)]);

/**
 * Two DBTs (key and value) and the bytes they point at, in one long-lived buffer whose
 * address is taken once: a build makes one of these per record, so no allocation per call.
 */
class DbtPair {
  private buf = Buffer.alloc(0);
  /** The buffer's address as 32-bit halves (BigInt arithmetic per record is slow). */
  private baseHi = 0;
  private baseLo = 0;
  key = Buffer.alloc(0);
  value = Buffer.alloc(0);

  private static readonly HEAD = 2 * DB_LAYOUT.DBT.size;

  private reserve(bytes: number): void {
    if (this.buf.length >= DbtPair.HEAD + bytes) return;
    this.buf = Buffer.alloc(Math.max(4096, 2 * (DbtPair.HEAD + bytes)));
    const base = addressOf(this.buf);
    this.baseHi = Number(base >> 32n);
    this.baseLo = Number(base & 0xffffffffn);
    this.key = this.buf.subarray(0, DB_LAYOUT.DBT.size);
    this.value = this.buf.subarray(DB_LAYOUT.DBT.size, DbtPair.HEAD);
  }

  /** Point one DBT at text (bytes, one per char) at offset, plus a null byte if nul. */
  private fill(dbt: Buffer, text: string, at: number, nul: boolean): number {
    const length = this.buf.write(text, at, 'latin1') + (nul ? 1 : 0);
    if (nul) this.buf[at + length - 1] = 0;
    dbt.fill(0);
    const lo = this.baseLo + at;
    dbt.writeUInt32LE(lo >>> 0, DB_LAYOUT.DBT.data);
    dbt.writeUInt32LE((this.baseHi + Math.floor(lo / 0x100000000)) >>> 0, DB_LAYOUT.DBT.data + 4);
    dbt.writeUInt32LE(length, DB_LAYOUT.DBT.size_);
    return at + length;
  }

  /** The key DBT for text, and an empty value DBT for the library to fill in. */
  setKey(key: string, nul: boolean): void {
    this.reserve(key.length + 1);
    this.fill(this.key, key, DbtPair.HEAD, nul);
    this.value.fill(0);
  }

  /** Both DBTs, for a put. */
  setPair(key: string, value: string, nul: boolean): void {
    this.reserve(key.length + value.length + 2);
    this.fill(this.value, value, this.fill(this.key, key, DbtPair.HEAD, nul), nul);
  }

  /** Two empty DBTs, for a cursor to fill in. */
  clear(): void {
    this.reserve(0);
    this.key.fill(0);
    this.value.fill(0);
  }
}

/** The bytes a DBT filled in by the library points at, copied. */
function dbtBytes(dbt: Buffer): string {
  const size = dbt.readUInt32LE(DB_LAYOUT.DBT.size_);
  if (size === 0) return '';
  const ptr = koffi.decode(dbt, DB_LAYOUT.DBT.data, 'void *');
  return Buffer.from(koffi.view(ptr, size)).toString('latin1');
}

/** Postfix: sanitize(): 1 for not found or exists, 0 for success, -1 (errno set) otherwise. */
function sanitize(status: number): { status: number; errno: number } {
  if (status === DB_NOTFOUND || status === DB_KEYEXIST) return { status: 1, errno: 0 };
  if (status === 0) return { status: 0, errno: 0 };
  return { status: -1, errno: status === DB_KEYEMPTY ? 22 : status };
}

/** Postfix's %m for a Berkeley DB status: positive values are errno values. */
export function dbStrerror(status: number): string {
  return status < 0 ? `Unknown error ${status}` : percentM(status);
}

/** A C string as Postfix's SCOPY() makes it: the bytes up to the first null byte. */
const scopy = (bytes: string) => {
  const nul = bytes.indexOf('\0');
  return nul < 0 ? bytes : bytes.slice(0, nul);
};

/** Postfix: sane_dirname() and sane_basename(). */
export function saneDirname(path: string): string {
  if (path === '') return '.';
  let last = path.length - 1;
  while (path[last] === '/') {
    if (last === 0) return '/';
    last--;
  }
  while (last >= 0 && path[last] !== '/') last--;
  if (last < 0) return '.';
  while (last > 0 && path[last] === '/') last--;
  return path.slice(0, last + 1);
}

export function saneBasename(path: string): string {
  if (path === '') return '.';
  let last = path.length - 1;
  while (path[last] === '/') {
    if (last === 0) return '/';
    last--;
  }
  let first = last - 1;
  while (first >= 0 && path[first] !== '/') first--;
  return path.slice(first + 1, last + 1);
}

class DictDb extends Dict {
  env: Ptr = null;
  cursor: Ptr = null;
  private handle: Ptr = null;
  private dbGet!: DbMethod;
  private dbPut!: DbMethod;
  private dbDel!: DbMethod;
  private readonly dbts = new DbtPair();

  get db(): Ptr {
    return this.handle;
  }

  /** The open database; its busiest methods are looked up once. */
  set db(handle: Ptr) {
    this.handle = handle;
    this.dbGet = bindMethod(handle, DB_LAYOUT.DB.get, 'get');
    this.dbPut = bindMethod(handle, DB_LAYOUT.DB.put, 'put');
    this.dbDel = bindMethod(handle, DB_LAYOUT.DB.del, 'del');
  }

  /** One get; 0 found (value set), 1 not found; errors are fatal. */
  private get(key: string, nul: boolean): { status: number; value?: string } {
    this.dbts.setKey(key, nul);
    const result = sanitize(this.dbGet(this.handle, null, this.dbts.key, this.dbts.value, 0));
    if (result.status < 0) msg.fatal(`error reading ${this.name}: ${dbStrerror(result.errno)}`);
    return result.status === 0 ? { status: 0, value: scopy(dbtBytes(this.dbts.value)) } : { status: 1 };
  }

  override async lookup(key: string): Promise<string | null> {
    this.error = 0;
    this.requireNullFlags('dict_db_lookup');
    const name = this.foldFix(key);
    this.lockAccess(MYFLOCK_OP_SHARED, 'lock');
    let result: string | null = null;
    // Try the key with a terminating null byte, then without, and stick to what works.
    if (this.flags & DICT_FLAG_TRY1NULL) {
      const found = this.get(name, true);
      if (found.status === 0) {
        this.flags &= ~DICT_FLAG_TRY0NULL;
        result = found.value!;
      }
    }
    if (result === null && (this.flags & DICT_FLAG_TRY0NULL)) {
      const found = this.get(name, false);
      if (found.status === 0) {
        this.flags &= ~DICT_FLAG_TRY1NULL;
        result = found.value!;
      }
    }
    this.lockAccess(MYFLOCK_OP_NONE, 'unlock');
    return result;
  }

  override async update(key: string, value: string): Promise<number> {
    this.error = 0;
    this.requireNullFlags('dict_db_update');
    const name = this.foldFix(key);
    // Undecided about the null byte: this platform's Postfix appends one.
    if ((this.flags & DICT_FLAG_TRY1NULL) && (this.flags & DICT_FLAG_TRY0NULL)) this.flags &= ~DICT_FLAG_TRY0NULL;
    this.dbts.setPair(scopy(name), scopy(value), (this.flags & DICT_FLAG_TRY1NULL) !== 0);
    this.lockAccess(MYFLOCK_OP_EXCLUSIVE, 'lock');
    const result = sanitize(this.dbPut(this.handle, null, this.dbts.key, this.dbts.value,
      this.flags & DICT_FLAG_DUP_REPLACE ? 0 : DB_NOOVERWRITE));
    if (result.status < 0) msg.fatal(`error writing ${this.name}: ${dbStrerror(result.errno)}`);
    if (result.status > 0) {
      if (this.flags & DICT_FLAG_DUP_IGNORE) {
        // keep the first
      } else if (this.flags & DICT_FLAG_DUP_WARN) {
        msg.warn(`${this.name}: duplicate entry: "${name}"`);
      } else {
        msg.fatal(`${this.name}: duplicate entry: "${name}"`);
      }
    }
    this.syncUpdate();
    this.lockAccess(MYFLOCK_OP_NONE, 'unlock');
    return result.status;
  }

  private sync(): number {
    return method(this.db, DB_LAYOUT.DB.sync, 'sync', 0);
  }

  private syncUpdate(): void {
    if ((this.flags & DICT_FLAG_SYNC_UPDATE) === 0) return;
    const status = this.sync();
    if (status !== 0) msg.fatal(`${this.name}: flush dictionary: ${dbStrerror(status)}`);
  }

  private del(key: string, nul: boolean): number {
    this.dbts.setKey(key, nul);
    const result = sanitize(this.dbDel(this.handle, null, this.dbts.key, 0));
    if (result.status < 0) msg.fatal(`error deleting from ${this.name}: ${dbStrerror(result.errno)}`);
    return result.status;
  }

  override async delete(key: string): Promise<number> {
    this.error = 0;
    this.requireNullFlags('dict_db_delete');
    const name = scopy(this.foldFix(key));
    let status = 1;
    this.lockAccess(MYFLOCK_OP_EXCLUSIVE, 'lock');
    if (this.flags & DICT_FLAG_TRY1NULL) {
      status = this.del(name, true);
      if (status === 0) this.flags &= ~DICT_FLAG_TRY0NULL;
    }
    if (status > 0 && (this.flags & DICT_FLAG_TRY0NULL)) {
      status = this.del(name, false);
      if (status === 0) this.flags &= ~DICT_FLAG_TRY1NULL;
    }
    this.syncUpdate();
    this.lockAccess(MYFLOCK_OP_NONE, 'unlock');
    return status;
  }

  override async sequence(func: number): Promise<DictEntry | null> {
    this.error = 0;
    let dbFunction: number;
    if (func === DICT_SEQ_FUN_FIRST) {
      if (this.cursor === null) {
        const out: Ptr[] = [null];
        method(this.db, DB_LAYOUT.DB.cursor, 'cursor', null, out, 0);
        this.cursor = out[0];
      }
      dbFunction = DB_FIRST;
    } else if (func === DICT_SEQ_FUN_NEXT) {
      if (this.cursor === null) msg.panic('dict_db_sequence: no cursor');
      dbFunction = DB_NEXT;
    } else {
      return msg.panic(`dict_db_sequence: invalid function ${func}`);
    }
    this.lockAccess(MYFLOCK_OP_SHARED, 'lock');
    this.dbts.clear();
    const status = method(this.cursor, DB_LAYOUT.DBC.get, 'cursorGet', this.dbts.key, this.dbts.value, dbFunction);
    if (status !== 0 && status !== DB_NOTFOUND) msg.fatal(`error [${status}] seeking ${this.name}: ${dbStrerror(status)}`);
    this.lockAccess(MYFLOCK_OP_NONE, 'unlock');
    if (status !== 0) return null;
    return { key: scopy(dbtBytes(this.dbts.key)), value: scopy(dbtBytes(this.dbts.value)) };
  }

  override async close(): Promise<void> {
    if (this.cursor !== null) method(this.cursor, DB_LAYOUT.DBC.close, 'cursorClose');
    this.cursor = null;
    const synced = this.sync();
    if (synced !== 0) msg.fatal(`flush database ${this.name}: ${dbStrerror(synced)}`);
    // Some Berkeley DB versions report a bogus error here; Postfix only mentions it.
    const status = method(this.db, DB_LAYOUT.DB.close, 'close', 0);
    if (status !== 0) msg.info(`close database ${this.name}: ${dbStrerror(status)} (possible Berkeley DB bug)`);
    method(this.env, DB_LAYOUT.DB_ENV.close, 'envClose', 0);
  }
}

/** Postfix: dict_db_new_env(): a private environment, so that no ./DB_CONFIG is read. */
function newEnv(dbPath: string): Ptr {
  const out: Ptr[] = [null];
  let status = lib().envCreate(out, 0);
  if (status !== 0) msg.fatal(`create DB environment: ${dbStrerror(status)}`);
  const env = out[0];
  const gbytes = [0];
  const bytes = [0];
  const ncache = [0];
  status = method(env, DB_LAYOUT.DB_ENV.get_cachesize, 'envGetCachesize', gbytes, bytes, ncache);
  if (status !== 0) msg.fatal(`get DB cache size: ${dbStrerror(status)}`);
  if (gbytes[0] === 0 && bytes[0]! < dictDbCacheSize) {
    status = method(env, DB_LAYOUT.DB_ENV.set_cache_max, 'envSetCacheMax', gbytes[0], dictDbCacheSize);
    if (status !== 0) msg.fatal(`set DB max cache size ${dictDbCacheSize}: ${dbStrerror(status)}`);
    status = method(env, DB_LAYOUT.DB_ENV.set_cachesize, 'envSetCachesize', gbytes[0], dictDbCacheSize, ncache[0]);
    if (status !== 0) msg.fatal(`set DB cache size ${dictDbCacheSize}: ${dbStrerror(status)}`);
  }
  status = method(env, DB_LAYOUT.DB_ENV.open, 'envOpen', cString(saneDirname(dbPath)), DB_INIT_MPOOL | DB_CREATE | DB_PRIVATE, 0);
  if (status !== 0) msg.fatal(`open DB environment: ${dbStrerror(status)}`);
  return env;
}

/** Postfix: dict_db_open(). */
async function dictDbOpen(type: string, path: string, openFlags: number, dbType: number, dictFlags: number): Promise<Dict> {
  const major = [0];
  const minor = [0];
  const patch = [0];
  lib().version(major, minor, patch);
  if (major[0] !== DB_VERSION[0] || minor[0] !== DB_VERSION[1]) {
    return dictSurrogate(type, path, openFlags, dictFlags, `incorrect version of Berkeley DB: compiled against ${DB_VERSION.join('.')}, run-time linked against ${major[0]}.${minor[0]}.${patch[0]}`);
  }
  if (msg.verbose) {
    msg.info(`Compiled against Berkeley DB: ${DB_VERSION.join('.')}\n`);
    msg.info(`Run-time linked against Berkeley DB: ${major[0]}.${minor[0]}.${patch[0]}\n`);
  }
  const dbPath = `${path}.db`;
  let lockFd = -1;
  let db: Ptr = null;
  let env: Ptr = null;
  const cleanup = () => {
    if (db !== null) method(db, DB_LAYOUT.DB.close, 'close', 0);
    if (env !== null) method(env, DB_LAYOUT.DB_ENV.close, 'envClose', 0);
    if (lockFd >= 0) closeSync(lockFd);
  };
  // A table used record by record is locked while it opens; a build locks the whole file.
  if (dictFlags & DICT_FLAG_LOCK) {
    try {
      lockFd = openSync(dbPath, openFlags & ~(O_CREAT | O_TRUNC), 0o644);
    } catch (err) {
      if (errnoOf(err) !== 2) {
        return dictSurrogate(type, path, openFlags, dictFlags, `open database ${dbPath}: ${percentM(errnoOf(err) ?? 0)}`);
      }
    }
    if (lockFd >= 0) {
      try {
        myflock(lockFd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_SHARED);
      } catch (err) {
        msg.fatal(`shared-lock database ${dbPath} for open: ${percentM(errnoOf(err) ?? 0)}`);
      }
    }
  }
  let dbFlags = DB_FCNTL_LOCKING;
  if (openFlags === O_RDONLY) dbFlags |= DB_RDONLY;
  if (openFlags & O_CREAT) dbFlags |= DB_CREATE;
  if (openFlags & O_TRUNC) dbFlags |= DB_TRUNCATE;
  env = newEnv(dbPath);
  const out: Ptr[] = [null];
  let status = lib().dbCreate(out, env, 0);
  if (status !== 0) msg.fatal(`create DB database: ${dbStrerror(status)}`);
  db = out[0];
  if (dbType === DB_HASH && (status = method(db, DB_LAYOUT.DB.set_h_nelem, 'setHNelem', DICT_DB_NELM)) !== 0) {
    msg.fatal(`set DB hash element count ${DICT_DB_NELM}: ${dbStrerror(status)}`);
  }
  status = method(db, DB_LAYOUT.DB.open, 'open', null, cString(saneBasename(dbPath)), null, dbType, dbFlags, 0o644);
  if (status !== 0) {
    cleanup();
    return dictSurrogate(type, path, openFlags, dictFlags, `open database ${dbPath}: ${dbStrerror(status)}`);
  }
  const fdOut = [0];
  status = method(db, DB_LAYOUT.DB.fd, 'fd', fdOut);
  if (status !== 0) msg.fatal(`get database file descriptor: ${dbStrerror(status)}`);
  if ((dictFlags & DICT_FLAG_LOCK) && lockFd >= 0) {
    try {
      myflock(lockFd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_NONE);
    } catch (err) {
      msg.fatal(`unlock database ${dbPath} for open: ${percentM(errnoOf(err) ?? 0)}`);
    }
    closeSync(lockFd);
    lockFd = -1;
  }
  const dict = new DictDb(type, dbPath);
  dict.db = db;
  dict.env = env;
  dictFileState(dict, fdOut[0]!, MYFLOCK_STYLE_FLOCK);
  if (dictFlags & DICT_FLAG_LOCK) warnOlderThanSource(dict, dbPath, path);
  dict.flags = dictFlags | DICT_FLAG_FIXED;
  if ((dictFlags & (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL)) === 0) dict.flags |= DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL;
  return dictDebug(dict);
}

/** Postfix: dict_hash_open(). */
export function dictHashOpen(path: string, openFlags: number, dictFlags: number): Promise<Dict> {
  return dictDbOpen('hash', path, openFlags, DB_HASH, dictFlags);
}

/** Postfix: dict_btree_open(). */
export function dictBtreeOpen(path: string, openFlags: number, dictFlags: number): Promise<Dict> {
  return dictDbOpen('btree', path, openFlags, DB_BTREE, dictFlags);
}
