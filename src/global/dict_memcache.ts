/*
 * dict_memcache - the "memcache" table type: keys and values in a memcached server over
 * its text protocol, optionally in front of a persistent backup table, configured by a
 * memcache_table(5) file (or main.cf parameters "<name>_<setting>").
 * Counterpart: postfix/src/global/dict_memcache.c. Like Postfix: lookups fall back to the
 * backup and copy what it finds into the cache; updates and deletes go to both; listing
 * needs the backup; a request that fails is tried max_try times, retry_pause apart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { msg } from '../util/msg.js';
import { errnoOf, percentM } from '../util/strerror.js';
import { AutoClnt } from '../util/auto_clnt.js';
import { CONNECT_ERRNO } from '../util/inet_connect.js';
import type { AsyncVStream } from '../util/vstream_async.js';
import { lowercase } from '../util/stringops.js';
import {
  Dict, DICT_ERR_NONE, DICT_ERR_RETRY, DICT_FLAG_FIXED, DICT_FLAG_FOLD_FIX, DICT_FLAG_MULTI_WRITER, DICT_FLAG_NO_UNAUTH,
  DICT_FLAG_PATTERN, DICT_STAT_ERROR, DICT_STAT_FAIL, DICT_STAT_SUCCESS, type DictEntry, O_RDONLY, O_RDWR, O_WRONLY,
  dictDebug, dictSurrogate,
} from '../util/dict.js';
import { dictOpen } from '../util/dict_open.js';
import { CfgParser } from './cfg_parser.js';
import { DbCommon } from './db_common.js';
import { memcacheFread, memcacheFwrite, memcacheGet, memcachePrintf } from './memcache_proto.js';

export const DICT_TYPE_MEMCACHE = 'memcache';

/* Settings and defaults (memcache_table(5)). */
const DICT_MC_DEF_MEMCACHE = 'inet:localhost:11211';
const DICT_MC_DEF_KEY_FMT = '%s';
const DICT_MC_DEF_MC_TTL = 3600;
const DICT_MC_DEF_MC_TIMEOUT = 2;
const DICT_MC_DEF_MC_FLAGS = 0;
const DICT_MC_DEF_MAX_TRY = 2;
const DICT_MC_DEF_MAX_LINE = 1024;
const DICT_MC_DEF_MAX_DATA = 10240;
const DICT_MC_DEF_ERR_PAUSE = 1;

const DICT_MC_NAME_MEMCACHE = 'memcache';
const DICT_MC_NAME_BACKUP = 'backup';
const DICT_MC_NAME_KEY_FMT = 'key_format';
const DICT_MC_NAME_MC_TTL = 'ttl';
const DICT_MC_NAME_MC_TIMEOUT = 'timeout';
const DICT_MC_NAME_MC_FLAGS = 'flags';
const DICT_MC_NAME_MAX_TRY = 'max_try';
const DICT_MC_NAME_MAX_LINE = 'line_size_limit';
const DICT_MC_NAME_MAX_DATA = 'data_size_limit';
const DICT_MC_NAME_ERR_PAUSE = 'retry_pause';

const ETIMEDOUT = 110;
const O_APPEND = 0o2000;
const VALUE_REPLY = /^VALUE[ \t\n\r\v\f]+\S+[ \t\n\r\v\f]+\S+[ \t\n\r\v\f]*([+-]?\d+)/;

class DictMemcache extends Dict {
  parser!: CfgParser;
  dbc!: DbCommon;
  keyFormat = DICT_MC_DEF_KEY_FMT;
  timeout = DICT_MC_DEF_MC_TIMEOUT;
  mcTtl = DICT_MC_DEF_MC_TTL;
  mcFlags = DICT_MC_DEF_MC_FLAGS;
  errPause = DICT_MC_DEF_ERR_PAUSE;
  maxTries = DICT_MC_DEF_MAX_TRY;
  maxLine = DICT_MC_DEF_MAX_LINE;
  maxData = DICT_MC_DEF_MAX_DATA;
  memcache = DICT_MC_DEF_MEMCACHE;
  clnt!: AutoClnt;
  backup: Dict | null = null;
  /** The key as sent to the server (after key_format). */
  keyBuf = '';
  /** The memcache part's own error, apart from the backup's (Postfix: dict_mc->error). */
  mcError = DICT_ERR_NONE;
  private readonly reply = { text: '' };
  private lastStream: AsyncVStream | null = null;

  /** The errno a failed exchange leaves, for the "%m" of warnings. */
  private ioErrno(fp: AsyncVStream): number {
    if (fp.timedOut) return ETIMEDOUT;
    return errnoOf(fp.error) ?? 0;
  }

  private ioError(fp: AsyncVStream): void {
    if (fp.timedOut || fp.error !== null) this.errno = this.ioErrno(fp);
    const errno = this.errno;
    msg.warn(errno ? `database ${this.type}:${this.name}: I/O error: ${percentM(errno)}`
      : `database ${this.type}:${this.name}: I/O error`);
  }

  /**
   * One request with retries: send() writes it and reads the reply, and returns a result
   * to stop with, or undefined (after a warning on later tries) to try again.
   */
  private async exchange<T>(failed: T, send: (fp: AsyncVStream, count: number) => Promise<T | undefined>): Promise<T> {
    for (let count = 0; count < this.maxTries; count++) {
      if (count > 0) await sleep(this.errPause * 1000);
      const fp = await this.clnt.access();
      try {
        if (fp === null) {
          this.errno = errnoOf(this.clnt.lastError) ?? 0;
          break;
        }
        // errno as C code would see it: a new connection leaves EINPROGRESS behind.
        if (fp !== this.lastStream && this.memcache.startsWith('inet:')) this.errno = CONNECT_ERRNO;
        this.lastStream = fp;
        const result = await send(fp, count);
        if (result !== undefined) return result;
        if (fp.timedOut || fp.error !== null) this.errno = this.ioErrno(fp);
      } finally {
        this.clnt.release();
      }
      this.clnt.recover();
    }
    this.mcError = DICT_ERR_RETRY;
    return failed;
  }

  /** Postfix: dict_memcache_set(). */
  async mcSet(value: string, ttl: number): Promise<number> {
    if (value.length > this.maxData) {
      // This loses information; there is no way to store it.
      msg.warn(`database ${this.type}:${this.name}: data for key ${this.keyBuf} is too long `
        + `(${DICT_MC_NAME_MAX_DATA}=${this.maxData}) -- not stored`);
      this.mcError = DICT_ERR_NONE;
      return DICT_STAT_FAIL;
    }
    return this.exchange(DICT_STAT_ERROR, async (fp, count) => {
      if (memcachePrintf(fp, `set ${this.keyBuf} ${this.mcFlags} ${ttl} ${value.length}`) < 0
        || memcacheFwrite(fp, value) < 0 || await memcacheGet(fp, this.reply, this.maxLine) < 0) {
        if (count > 0) this.ioError(fp);
      } else if (this.reply.text !== 'STORED') {
        if (count > 0) msg.warn(`database ${this.type}:${this.name}: update failed: ${this.reply.text.slice(0, 30)}`);
      } else {
        this.mcError = DICT_ERR_NONE;
        return DICT_STAT_SUCCESS;
      }
      return undefined;
    });
  }

  /** Postfix: dict_memcache_get(). */
  private async mcGet(): Promise<string | null> {
    const found = await this.exchange<{ value: string | null }>({ value: null }, async (fp, count) => {
      if (memcachePrintf(fp, `get ${this.keyBuf}`) < 0 || await memcacheGet(fp, this.reply, this.maxLine) < 0) {
        if (count > 0) this.ioError(fp);
        return undefined;
      }
      if (this.reply.text === 'END') {
        this.mcError = DICT_ERR_NONE;
        return { value: null };
      }
      const m = VALUE_REPLY.exec(this.reply.text);
      const todo = m === null ? NaN : Number(m[1]);
      if (!(todo >= 0 && todo <= this.maxData)) {
        if (count > 0) msg.warn(`${this.name}: unexpected memcache server reply: ${this.reply.text.slice(0, 30)}`);
        return undefined;
      }
      const data = { text: '' };
      if (await memcacheFread(fp, data, todo) < 0) {
        if (count > 0) msg.warn(`${this.name}: EOF receiving memcache server reply`);
        return undefined;
      }
      // The value is good; a bad trailer only costs the connection.
      if (await memcacheGet(fp, this.reply, this.maxLine) < 0 || this.reply.text !== 'END') this.clnt.recover();
      this.mcError = DICT_ERR_NONE;
      return { value: data.text };
    });
    return found.value;
  }

  /** Postfix: dict_memcache_del(). */
  private mcDel(): Promise<number> {
    return this.exchange(DICT_STAT_ERROR, async (fp, count) => {
      if (memcachePrintf(fp, `delete ${this.keyBuf}`) < 0 || await memcacheGet(fp, this.reply, this.maxLine) < 0) {
        if (count > 0) this.ioError(fp);
      } else if (this.reply.text === 'DELETED') {
        this.mcError = DICT_ERR_NONE;
        return DICT_STAT_SUCCESS;
      } else if (this.reply.text === 'NOT_FOUND') {
        this.mcError = DICT_ERR_NONE;
        return DICT_STAT_FAIL;
      } else if (count > 0) {
        msg.warn(`database ${this.type}:${this.name}: delete failed: ${this.reply.text.slice(0, 30)}`);
      }
      return undefined;
    });
  }

  /** Postfix: dict_memcache_prepare_key(): the server's key; false when it expands to nothing. */
  private prepareKey(name: string): boolean {
    if (this.flags & DICT_FLAG_FOLD_FIX) name = lowercase(name);
    if (this.keyFormat !== DICT_MC_DEF_KEY_FMT) {
      const out = { text: '' };
      if (!this.dbc.expand(this.keyFormat, name, null, out)) {
        this.keyBuf = '';
        return false;
      }
      this.keyBuf = out.text;
    } else {
      this.keyBuf = name;
    }
    return this.keyBuf.length > 0;
  }

  /** Postfix: dict_memcache_valid_key(). Skipped keys are logged with log (or, for info, when verbose). */
  private async validKey(name: string, operation: string, log: 'info' | 'warn'): Promise<boolean> {
    const skip = (why: string) => {
      if (msg.verbose || log !== 'info') msg[log](`${this.name}: skipping ${operation} for name "${name}": ${why}`);
      this.mcError = DICT_ERR_NONE;
      return false;
    };
    if (name === '') return skip('empty lookup key');
    const rc = await this.dbc.checkDomain(name);
    if (rc === 0) return skip('domain mismatch');
    if (rc < 0) {
      this.mcError = rc;
      return false;
    }
    if (!this.prepareKey(name)) return skip('empty lookup key expansion');
    // isascii() && isspace(): the server would take the key apart.
    if (/[ \t\n\v\f\r]/.test(this.keyBuf)) return skip('name contains space');
    this.mcError = DICT_ERR_NONE;
    return true;
  }

  /** What the verbose log says about an update or delete, or '' when all went well. */
  private outcome(): string {
    return this.mcError ? '(memcache error)' : this.backup?.error ? '(backup error)' : '';
  }

  override async update(name: string, value: string): Promise<number> {
    // An inapplicable key loses the update: say so.
    if (!(await this.validKey(name, 'update', 'warn'))) return this.result(this.mcError, DICT_STAT_FAIL);
    let status = await this.mcSet(value, this.mcTtl);
    this.error = this.mcError;
    if (this.backup !== null) {
      status = await this.backup.update(name, value);
      this.error = this.backup.error;
      this.errno = this.backup.errno;
    }
    if (msg.verbose) {
      msg.info(`dict_memcache_update: ${this.name}: update key "${name}"(${this.keyBuf}) => "${value}" `
        + `${this.outcome() || '(no error)'}`);
    }
    return status;
  }

  override async lookup(name: string): Promise<string | null> {
    // An inapplicable key asks for what cannot exist: no noise.
    if (!(await this.validKey(name, 'lookup', 'info'))) return this.result(this.mcError, null);
    let value = await this.mcGet();
    this.error = this.mcError;
    if (this.backup !== null) {
      this.backup.error = 0;
      if (value === null) {
        value = await this.backup.lookup(name);
        this.error = this.backup.error;
        this.errno = this.backup.errno;
        if (value !== null) await this.mcSet(value, this.mcTtl);
      }
    }
    if (msg.verbose) {
      msg.info(`dict_memcache_lookup: ${this.name}: key "${name}"(${this.keyBuf}) => `
        + `${value ?? (this.outcome() || '(not found)')}`);
    }
    return value;
  }

  override async delete(name: string): Promise<number> {
    if (!(await this.validKey(name, 'delete', 'info'))) {
      return this.result(this.mcError, this.mcError ? DICT_STAT_ERROR : DICT_STAT_FAIL);
    }
    let status = await this.mcDel();
    this.error = this.mcError;
    if (this.backup !== null) {
      status = await this.backup.delete(name);
      this.error = this.backup.error;
      this.errno = this.backup.errno;
    }
    if (msg.verbose) {
      msg.info(`dict_memcache_delete: ${this.name}: delete key "${name}"(${this.keyBuf}) => `
        + `${this.outcome() || '(no error)'}`);
    }
    return status;
  }

  override async sequence(func: number): Promise<DictEntry | null> {
    if (this.backup === null) {
      msg.warn(`database ${this.type}:${this.name}: first/next support requires backup database`);
      return this.result(DICT_ERR_NONE, null);
    }
    const entry = await this.backup.sequence(func);
    if (msg.verbose) {
      msg.info(`dict_memcache_sequence: ${this.name}: key "${entry?.key ?? '(not found)'}" => `
        + `${entry?.value ?? (this.backup.error ? '(backup error)' : '(not found)')}`);
    }
    this.errno = this.backup.errno;
    return this.result(this.backup.error, entry);
  }

  override async close(): Promise<void> {
    this.clnt.free();
    await this.backup?.close();
  }
}

/** Postfix: dict_memcache_open(). */
export async function dictMemcacheOpen(name: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (dictFlags & DICT_FLAG_NO_UNAUTH) {
    return dictSurrogate(DICT_TYPE_MEMCACHE, name, openFlags, dictFlags,
      `${DICT_TYPE_MEMCACHE}:${name} map is not allowed for security-sensitive data`);
  }
  openFlags &= O_RDONLY | O_RDWR | O_WRONLY | O_APPEND;
  if (openFlags !== O_RDONLY && openFlags !== O_RDWR) {
    return dictSurrogate(DICT_TYPE_MEMCACHE, name, openFlags, dictFlags,
      `${DICT_TYPE_MEMCACHE}:${name} map requires O_RDONLY or O_RDWR access mode`);
  }
  const parser = CfgParser.create(name);
  if (!(parser instanceof CfgParser)) {
    return dictSurrogate(DICT_TYPE_MEMCACHE, name, openFlags, dictFlags, `open ${name}: ${percentM(errnoOf(parser) ?? 0)}`);
  }
  const dict = new DictMemcache(DICT_TYPE_MEMCACHE, name);
  if (openFlags !== O_RDWR) {
    // Read-only: updates and deletes are the unsupported operations of the base class.
    dict.update = Dict.prototype.update;
    dict.delete = Dict.prototype.delete;
  }
  dict.flags = dictFlags;
  dict.parser = parser;
  dict.keyFormat = parser.getStr(DICT_MC_NAME_KEY_FMT, DICT_MC_DEF_KEY_FMT, 0, 0)!;
  dict.timeout = parser.getInt(DICT_MC_NAME_MC_TIMEOUT, DICT_MC_DEF_MC_TIMEOUT, 0, 0);
  dict.mcTtl = parser.getInt(DICT_MC_NAME_MC_TTL, DICT_MC_DEF_MC_TTL, 0, 0);
  dict.mcFlags = parser.getInt(DICT_MC_NAME_MC_FLAGS, DICT_MC_DEF_MC_FLAGS, 0, 0);
  dict.errPause = parser.getInt(DICT_MC_NAME_ERR_PAUSE, DICT_MC_DEF_ERR_PAUSE, 1, 0);
  dict.maxTries = parser.getInt(DICT_MC_NAME_MAX_TRY, DICT_MC_DEF_MAX_TRY, 1, 0);
  dict.maxLine = parser.getInt(DICT_MC_NAME_MAX_LINE, DICT_MC_DEF_MAX_LINE, 1, 0);
  dict.maxData = parser.getInt(DICT_MC_NAME_MAX_DATA, DICT_MC_DEF_MAX_DATA, 1, 0);
  dict.memcache = parser.getStr(DICT_MC_NAME_MEMCACHE, DICT_MC_DEF_MEMCACHE, 0, 0)!;
  dict.clnt = new AutoClnt(dict.memcache, dict.timeout, 0, 0);
  const backup = parser.getStr(DICT_MC_NAME_BACKUP, undefined, 0, 0);
  if (backup !== undefined) dict.backup = await dictOpen(backup, openFlags, dictFlags);
  dict.dbc = new DbCommon(dict);
  dict.dbc.parse(dict.keyFormat, true);
  await dict.dbc.parseDomain(parser);
  // A key made of parts of the input would break recipient delimiters; never the case now.
  dict.flags |= dict.dbc.dictPartial() ? DICT_FLAG_PATTERN : DICT_FLAG_FIXED;
  dict.flags |= DICT_FLAG_MULTI_WRITER;
  return dictDebug(dict);
}
