/*
 * slmdb - LMDB with the bookkeeping Postfix needs: one transaction per request, or one
 * bulk transaction for a whole build; recovery from a full memory map by growing it and
 * trying again (a bulk build starts over: see DictBulkRestart); cursors that survive
 * between requests by remembering the last key.
 * Counterpart: postfix/src/util/slmdb.c, on liblmdb.so.0 through koffi. MDB_val is two
 * 64-bit words (size, then data pointer) on x86_64; test/util/dict_db.test.ts checks
 * the constants against lmdb.h.
 */
import koffi from 'koffi';
import { setTimeout as sleep } from 'node:timers/promises';
import { statSync } from 'node:fs';
import { addressOf } from './sys_libc.js';
import { DictBulkRestart, O_TRUNC } from './dict.js';

/* <lmdb.h> */
export const MDB_NOSUBDIR = 0x4000;
export const MDB_RDONLY = 0x20000;
export const MDB_NOLOCK = 0x400000;
export const MDB_NOOVERWRITE = 0x10;
export const MDB_SUCCESS = 0;
export const MDB_KEYEXIST = -30799;
export const MDB_NOTFOUND = -30798;
export const MDB_PANIC = -30795;
export const MDB_MAP_FULL = -30792;
export const MDB_READERS_FULL = -30790;
export const MDB_MAP_RESIZED = -30785;
export const MDB_FIRST = 0;
export const MDB_NEXT = 8;
export const MDB_SET = 15;
export const SIZEOF_MDB_VAL = 16;
export const SIZEOF_MDB_ENVINFO = 40;
export const ME_MAPSIZE = 8;

export const SLMDB_FLAG_BULK = 1 << 0;

type Ptr = unknown;

interface Liblmdb {
  envCreate(out: Ptr[]): number;
  setMapsize(env: Ptr, size: bigint): number;
  envOpen(env: Ptr, path: Buffer, flags: number, mode: number): number;
  envClose(env: Ptr): void;
  envInfo(env: Ptr, info: Buffer): number;
  getFd(env: Ptr, fd: number[]): number;
  txnBegin(env: Ptr, parent: Ptr, flags: number, out: Ptr[]): number;
  txnCommit(txn: Ptr): number;
  txnAbort(txn: Ptr): void;
  dbiOpen(txn: Ptr, name: Ptr, flags: number, dbi: number[]): number;
  drop(txn: Ptr, dbi: number, del: number): number;
  get(txn: Ptr, dbi: number, key: Buffer, data: Buffer): number;
  put(txn: Ptr, dbi: number, key: Buffer, data: Buffer, flags: number): number;
  del(txn: Ptr, dbi: number, key: Buffer, data: Ptr): number;
  cursorOpen(txn: Ptr, dbi: number, out: Ptr[]): number;
  cursorClose(cursor: Ptr): void;
  cursorTxn(cursor: Ptr): Ptr;
  cursorGet(cursor: Ptr, key: Buffer, data: Buffer | null, op: number): number;
  strerror(status: number): string;
}

let liblmdb: Liblmdb | undefined;

function lib(): Liblmdb {
  if (liblmdb !== undefined) return liblmdb;
  const l = koffi.load('liblmdb.so.0');
  liblmdb = {
    envCreate: l.func('int mdb_env_create(_Out_ void **env)'),
    setMapsize: l.func('int mdb_env_set_mapsize(void *env, size_t size)'),
    envOpen: l.func('int mdb_env_open(void *env, void *path, unsigned int flags, unsigned int mode)'),
    envClose: l.func('void mdb_env_close(void *env)'),
    envInfo: l.func('int mdb_env_info(void *env, void *info)'),
    getFd: l.func('int mdb_env_get_fd(void *env, _Out_ int *fd)'),
    txnBegin: l.func('int mdb_txn_begin(void *env, void *parent, unsigned int flags, _Out_ void **txn)'),
    txnCommit: l.func('int mdb_txn_commit(void *txn)'),
    txnAbort: l.func('void mdb_txn_abort(void *txn)'),
    dbiOpen: l.func('int mdb_dbi_open(void *txn, void *name, unsigned int flags, _Out_ unsigned int *dbi)'),
    drop: l.func('int mdb_drop(void *txn, unsigned int dbi, int del)'),
    get: l.func('int mdb_get(void *txn, unsigned int dbi, void *key, void *data)'),
    put: l.func('int mdb_put(void *txn, unsigned int dbi, void *key, void *data, unsigned int flags)'),
    del: l.func('int mdb_del(void *txn, unsigned int dbi, void *key, void *data)'),
    cursorOpen: l.func('int mdb_cursor_open(void *txn, unsigned int dbi, _Out_ void **cursor)'),
    cursorClose: l.func('void mdb_cursor_close(void *cursor)'),
    cursorTxn: l.func('void *mdb_cursor_txn(void *cursor)'),
    cursorGet: l.func('int mdb_cursor_get(void *cursor, void *key, void *data, int op)'),
    strerror: l.func('const char *mdb_strerror(int err)'),
  };
  return liblmdb;
}

/** Postfix: mdb_strerror(). */
export function mdbStrerror(status: number): string {
  return lib().strerror(status);
}

/** An MDB_val followed by the bytes it points at, in one Buffer. */
export function mdbValFor(bytes: Buffer): Buffer {
  const val = Buffer.alloc(SIZEOF_MDB_VAL + bytes.length);
  bytes.copy(val, SIZEOF_MDB_VAL);
  val.writeBigUInt64LE(BigInt(bytes.length), 0);
  val.writeBigUInt64LE(addressOf(val) + BigInt(SIZEOF_MDB_VAL), 8);
  return val;
}

/**
 * Two MDB_vals (key and value) and the bytes they point at, in one long-lived buffer whose
 * address is taken once: a build makes one of these per record, so no allocation per call.
 * The contents stay valid until the next set, so a put that is retried can use them again.
 */
export class MdbValPair {
  private buf = Buffer.alloc(0);
  /** The buffer's address as 32-bit halves (BigInt arithmetic per record is slow). */
  private baseHi = 0;
  private baseLo = 0;
  key = Buffer.alloc(0);
  value = Buffer.alloc(0);

  private static readonly HEAD = 2 * SIZEOF_MDB_VAL;

  private reserve(bytes: number): void {
    if (this.buf.length >= MdbValPair.HEAD + bytes) return;
    this.buf = Buffer.alloc(Math.max(4096, 2 * (MdbValPair.HEAD + bytes)));
    const base = addressOf(this.buf);
    this.baseHi = Number(base >> 32n);
    this.baseLo = Number(base & 0xffffffffn);
    this.key = this.buf.subarray(0, SIZEOF_MDB_VAL);
    this.value = this.buf.subarray(SIZEOF_MDB_VAL, MdbValPair.HEAD);
  }

  /** Point one MDB_val at text (a byte per char) at offset, plus a null byte if nul. */
  private fill(val: Buffer, text: string, at: number, nul: boolean): number {
    const length = this.buf.write(text, at, 'latin1') + (nul ? 1 : 0);
    if (nul) this.buf[at + length - 1] = 0;
    val.writeUInt32LE(length, 0);
    val.writeUInt32LE(0, 4);
    const lo = this.baseLo + at;
    val.writeUInt32LE(lo >>> 0, 8);
    val.writeUInt32LE((this.baseHi + Math.floor(lo / 0x100000000)) >>> 0, 12);
    return at + length;
  }

  /** The key, and an empty value for the library to fill in. */
  setKey(key: string, nul: boolean): void {
    this.reserve(key.length + 1);
    this.fill(this.key, key, MdbValPair.HEAD, nul);
    this.value.fill(0);
  }

  /** Both, for a put. */
  setPair(key: string, value: string, nul: boolean): void {
    this.reserve(key.length + value.length + 2);
    this.fill(this.value, value, this.fill(this.key, key, MdbValPair.HEAD, nul), nul);
  }
}

/** The bytes an MDB_val filled in by the library points at, copied. */
export function mdbValBytes(val: Buffer): Buffer {
  const size = Number(val.readBigUInt64LE(0));
  if (size === 0 || val.readBigUInt64LE(8) === 0n) return Buffer.alloc(0);
  return Buffer.from(koffi.view(koffi.decode(val, 8, 'void *'), size));
}

/** Postfix: SLMDB. */
export class Slmdb {
  env: Ptr = null;
  txn: Ptr = null;
  cursor: Ptr = null;
  dbi = 0;
  fd = -1;
  openFlags = 0;
  lmdbFlags = 0;
  slmdbFlags = 0;
  private savedKey: Buffer | null = null;
  private apiRetryCount = 0;
  private bulkRetryCount = 0;
  apiRetryLimit = 30;
  bulkRetryLimit = 2 * 8 * 8;
  /** Restart support for bulk transactions (Postfix: the longjmp callback). */
  restartable = false;
  notify: ((code: number, limit?: bigint) => void) | undefined;

  constructor(public currLimit: bigint, readonly sizeIncr: number, public hardLimit: bigint) {}

  private cursorClose(): void {
    const txn = lib().cursorTxn(this.cursor);
    lib().cursorClose(this.cursor);
    this.cursor = null;
    lib().txnAbort(txn);
  }

  /** Postfix: slmdb_prepare(): empty the database for a rebuild; end the open transaction. */
  private prepare(): number {
    let status = 0;
    if (this.openFlags & O_TRUNC) {
      status = lib().drop(this.txn, this.dbi, 0);
      if (status !== 0) {
        lib().txnAbort(this.txn);
        this.txn = null;
        return status;
      }
      if ((this.slmdbFlags & SLMDB_FLAG_BULK) === 0) {
        status = lib().txnCommit(this.txn);
        this.txn = null;
        if (status !== 0) return status;
      }
    } else if ((this.slmdbFlags & SLMDB_FLAG_BULK) === 0) {
      lib().txnAbort(this.txn);
      this.txn = null;
    }
    this.apiRetryCount = 0;
    return status;
  }

  /** Postfix: slmdb_recover(). 0 means: try again. Throws DictBulkRestart for a bulk build. */
  private async recover(status: number): Promise<number> {
    const original = status;
    if (this.cursor !== null) this.cursorClose();
    if ((this.apiRetryCount += 1) >= this.apiRetryLimit) return status;
    if ((this.slmdbFlags & SLMDB_FLAG_BULK) !== 0 && (this.bulkRetryCount += 1) > this.bulkRetryLimit) return status;
    switch (status) {
      case MDB_MAP_FULL:
        if (this.currLimit < this.hardLimit / BigInt(this.sizeIncr)) this.currLimit *= BigInt(this.sizeIncr);
        else if (this.currLimit < this.hardLimit) this.currLimit = this.hardLimit;
        else break;
        this.notify?.(MDB_MAP_FULL, this.currLimit);
        status = lib().setMapsize(this.env, this.currLimit);
        break;
      case MDB_MAP_RESIZED:
        if ((status = lib().setMapsize(this.env, 0n)) === 0) {
          const info = Buffer.alloc(SIZEOF_MDB_ENVINFO);
          lib().envInfo(this.env, info);
          this.currLimit = info.readBigUInt64LE(ME_MAPSIZE);
          this.notify?.(MDB_MAP_RESIZED, this.currLimit);
        }
        break;
      case MDB_READERS_FULL:
        this.notify?.(MDB_READERS_FULL);
        await sleep(1000);
        status = 0;
        break;
      default:
        break;
    }
    if (status === 0 && (this.slmdbFlags & SLMDB_FLAG_BULK) !== 0) {
      if (!this.restartable) return original;
      const out: Ptr[] = [null];
      if ((status = lib().txnBegin(this.env, null, this.lmdbFlags & MDB_RDONLY, out)) === 0) {
        this.txn = out[0];
        if ((status = this.prepare()) === 0) throw new DictBulkRestart();
      }
    }
    return status;
  }

  private async txnBegin(rdonly: number): Promise<{ status: number; txn?: Ptr }> {
    const out: Ptr[] = [null];
    let status = lib().txnBegin(this.env, null, rdonly, out);
    if (status !== 0 && (status = await this.recover(status)) === 0) return this.txnBegin(rdonly);
    return status === 0 ? { status, txn: out[0] } : { status };
  }

  private done(status: number): number {
    this.apiRetryCount = 0;
    return status;
  }

  /** Postfix: slmdb_get(). value receives the MDB_val when the status is 0. */
  async get(key: Buffer, value: Buffer): Promise<number> {
    let txn = this.txn;
    if (txn === null) {
      const begun = await this.txnBegin(MDB_RDONLY);
      if (begun.status !== 0) return this.done(begun.status);
      txn = begun.txn;
    }
    let status = lib().get(txn, this.dbi, key, value);
    if (status !== 0 && status !== MDB_NOTFOUND) {
      lib().txnAbort(txn);
      if (txn === this.txn) this.txn = null;
      if ((status = await this.recover(status)) === 0) status = await this.get(key, value);
      return this.done(status);
    }
    if (this.txn === null) lib().txnAbort(txn);
    return this.done(status);
  }

  /** Postfix: slmdb_put() and slmdb_del(), which differ only in the operation. */
  private async write(op: (txn: Ptr) => number, again: () => Promise<number>, benign: number): Promise<number> {
    let txn = this.txn;
    if (txn === null) {
      const begun = await this.txnBegin(0);
      if (begun.status !== 0) return this.done(begun.status);
      txn = begun.txn;
    }
    let status = op(txn);
    if (status !== 0) {
      if (status !== benign) {
        lib().txnAbort(txn);
        if (txn === this.txn) this.txn = null;
        if ((status = await this.recover(status)) === 0) status = await again();
        return this.done(status);
      }
      if (this.txn === null) lib().txnAbort(txn);
    }
    if (status === 0 && this.txn === null && (status = lib().txnCommit(txn)) !== 0
      && (status = await this.recover(status)) === 0) {
      status = await again();
    }
    return this.done(status);
  }

  put(key: Buffer, value: Buffer, flags: number): Promise<number> {
    return this.write((txn) => lib().put(txn, this.dbi, key, value, flags), () => this.put(key, value, flags), MDB_KEYEXIST);
  }

  del(key: Buffer): Promise<number> {
    return this.write((txn) => lib().del(txn, this.dbi, key, null), () => this.del(key), MDB_NOTFOUND);
  }

  /** Postfix: slmdb_cursor_get(). */
  async cursorGet(key: Buffer, value: Buffer, op: number): Promise<number> {
    let status = 0;
    if (this.slmdbFlags & SLMDB_FLAG_BULK) return MDB_PANIC; // Postfix asserts here
    if (this.cursor === null) {
      const begun = await this.txnBegin(MDB_RDONLY);
      if (begun.status !== 0) return this.done(begun.status);
      const out: Ptr[] = [null];
      if ((status = lib().cursorOpen(begun.txn, this.dbi, out)) !== 0) {
        lib().txnAbort(begun.txn);
        if ((status = await this.recover(status)) === 0) status = await this.cursorGet(key, value, op);
        return this.done(status);
      }
      this.cursor = out[0];
      // Without a lock, the cursor is reopened for each call: go back to the last key.
      if (this.savedKey !== null && op !== MDB_FIRST) status = lib().cursorGet(this.cursor, mdbValFor(this.savedKey), null, MDB_SET);
    }
    if (status === 0) status = lib().cursorGet(this.cursor, key, value, op);
    if (status === 0) {
      this.savedKey = mdbValBytes(key);
      if (this.lmdbFlags & MDB_NOLOCK) this.cursorClose();
    } else if (status === MDB_NOTFOUND) {
      this.cursorClose();
      this.savedKey = null;
    } else {
      this.cursorClose();
      if ((status = await this.recover(status)) === 0) status = await this.cursorGet(key, value, op);
    }
    return this.done(status);
  }

  /** Postfix: slmdb_close(). */
  async close(): Promise<number> {
    let status = 0;
    if ((this.slmdbFlags & SLMDB_FLAG_BULK) !== 0 && this.txn !== null && (status = lib().txnCommit(this.txn)) !== 0) {
      status = await this.recover(status);
    }
    if (this.cursor !== null) this.cursorClose();
    lib().envClose(this.env);
    this.savedKey = null;
    return this.done(status);
  }

  /** Postfix: slmdb_open(). */
  open(path: string, openFlags: number, lmdbFlags: number, slmdbFlags: number): number {
    const out: Ptr[] = [null];
    let status = lib().envCreate(out);
    if (status !== 0) return status;
    const env = out[0];
    const FUDGE = 10240n;
    if (this.currLimit < FUDGE) this.currLimit = FUDGE;
    // Start with a map that holds the existing file.
    try {
      const size = BigInt(statSync(path).size);
      if (size > this.currLimit - FUDGE) {
        if (size > this.hardLimit) this.hardLimit = size;
        this.currLimit = size < this.hardLimit - FUDGE ? size + FUDGE : this.hardLimit;
      }
    } catch {
      // no file yet
    }
    const txnOut: Ptr[] = [null];
    const dbi = [0];
    const fd = [0];
    if ((status = lib().setMapsize(env, this.currLimit)) !== 0
      || (status = lib().envOpen(env, Buffer.from(`${path}\0`, 'latin1'), lmdbFlags, 0o644)) !== 0
      || (status = lib().txnBegin(env, null, lmdbFlags & MDB_RDONLY, txnOut)) !== 0
      || (status = lib().dbiOpen(txnOut[0], null, 0, dbi)) !== 0
      || (status = lib().getFd(env, fd)) !== 0) {
      lib().envClose(env);
      return status;
    }
    this.openFlags = openFlags;
    this.lmdbFlags = lmdbFlags;
    this.slmdbFlags = slmdbFlags;
    this.env = env;
    this.dbi = dbi[0]!;
    this.fd = fd[0]!;
    this.txn = txnOut[0];
    if ((status = this.prepare()) !== 0) lib().envClose(env);
    return status;
  }
}
