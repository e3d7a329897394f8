/*
 * dict - the lookup table layer: one interface for every table type, the flags that
 * control key and value conventions, and named table handles shared between users.
 * Counterpart: postfix/src/util/dict.c, dict.h, dict_alloc.c, dict_surrogate.c,
 * dict_utf8.c and dict_debug.c. Operations are asynchronous, because some tables live
 * behind a socket; a table that cannot answer sets dict.error (DICT_ERR_RETRY or
 * DICT_ERR_CONFIG), which callers must tell apart from "not found" (null, error 0).
 * Keys and values are byte strings. dict.errno stands in for C's errno after a failure.
 */
import { fstatSync, statSync } from 'node:fs';
import { msg } from './msg.js';
import { myflock, MYFLOCK_STYLE_FCNTL } from './myflock.js';
import { errnoOf, percentM } from './strerror.js';
import { allAscii, lowercase, validUtf8String } from './stringops.js';
import { casefoldUtf8 } from './casefold.js';

/* Flags. Values are Postfix's: proxymap passes them on the wire. */
export const DICT_FLAG_NONE = 0;
export const DICT_FLAG_DUP_WARN = 1 << 0; // warn about duplicates if not supported
export const DICT_FLAG_DUP_IGNORE = 1 << 1; // ignore duplicates if not supported
export const DICT_FLAG_TRY0NULL = 1 << 2; // do not append a null byte to key/value
export const DICT_FLAG_TRY1NULL = 1 << 3; // append a null byte to key/value
export const DICT_FLAG_FIXED = 1 << 4; // fixed-key map
export const DICT_FLAG_PATTERN = 1 << 5; // keys are patterns
export const DICT_FLAG_LOCK = 1 << 6; // take a lock around each access
export const DICT_FLAG_DUP_REPLACE = 1 << 7; // replace duplicates if supported
export const DICT_FLAG_SYNC_UPDATE = 1 << 8; // sync updates if supported
export const DICT_FLAG_DEBUG = 1 << 9; // log each access
export const DICT_FLAG_NO_REGSUB = 1 << 11; // no regular expression substitution
export const DICT_FLAG_NO_PROXY = 1 << 12; // no proxy mapping
export const DICT_FLAG_NO_UNAUTH = 1 << 13; // no unauthenticated data
export const DICT_FLAG_FOLD_FIX = 1 << 14; // fold the key of a fixed-case map
export const DICT_FLAG_FOLD_MUL = 1 << 15; // fold the key of a multi-case map
export const DICT_FLAG_FOLD_ANY = DICT_FLAG_FOLD_FIX | DICT_FLAG_FOLD_MUL;
export const DICT_FLAG_OPEN_LOCK = 1 << 16; // lock for the whole session if not multi-writer safe
export const DICT_FLAG_BULK_UPDATE = 1 << 17; // optimize for bulk updates
export const DICT_FLAG_MULTI_WRITER = 1 << 18; // safe with concurrent writers
export const DICT_FLAG_UTF8_REQUEST = 1 << 19; // use UTF-8 if enabled
export const DICT_FLAG_UTF8_ACTIVE = 1 << 20; // the UTF-8 layer is in place
export const DICT_FLAG_SRC_RHS_IS_FILE = 1 << 21; // source values name files
export const DICT_FLAG_UTF8_MASK = DICT_FLAG_UTF8_REQUEST;

export const DICT_FLAG_PARANOID = DICT_FLAG_NO_REGSUB | DICT_FLAG_NO_PROXY | DICT_FLAG_NO_UNAUTH;
export const DICT_FLAG_IMPL_MASK = DICT_FLAG_FIXED | DICT_FLAG_PATTERN | DICT_FLAG_MULTI_WRITER;
export const DICT_FLAG_RQST_MASK = DICT_FLAG_FOLD_ANY | DICT_FLAG_LOCK | DICT_FLAG_DUP_REPLACE | DICT_FLAG_DUP_WARN
  | DICT_FLAG_DUP_IGNORE | DICT_FLAG_SYNC_UPDATE | DICT_FLAG_PARANOID | DICT_FLAG_UTF8_MASK;
export const DICT_FLAG_INST_MASK = ~(DICT_FLAG_IMPL_MASK | DICT_FLAG_RQST_MASK);

/* dict.error after an operation. Errors are negative. */
export const DICT_ERR_NONE = 0;
export const DICT_ERR_RETRY = -1; // temporarily unavailable
export const DICT_ERR_CONFIG = -2; // configuration error

/* Results of update, delete and sequence: >0 not found or end, <0 error. */
export const DICT_STAT_FAIL = 1;
export const DICT_STAT_SUCCESS = 0;
export const DICT_STAT_ERROR = -1;

export const DICT_SEQ_FUN_FIRST = 0;
export const DICT_SEQ_FUN_NEXT = 1;

/* Provenance. Trust levels are not in numerical order. */
export const DICT_OWNER_UNKNOWN = -1; // unauthenticated tcp, proxy
export const DICT_OWNER_TRUSTED = 0; // root-owned file
export const DICT_OWNER_UNTRUSTED = 1; // file owned by another user

export interface DictOwner {
  status: number;
  uid: number;
}

/** Postfix: DICT_OWNER_AGGREGATE_UPDATE(): combine provenance, keeping the least trusted. */
export function dictOwnerAggregate(dst: DictOwner, src: DictOwner): DictOwner {
  if (dst.status === DICT_OWNER_TRUSTED || src.status === DICT_OWNER_UNKNOWN) return { ...src };
  if (dst.status === src.status && dst.uid !== src.uid) return { status: DICT_OWNER_UNKNOWN, uid: ~0 };
  return dst;
}

/* Reserved table types. */
export const DICT_TYPE_NOFILE = 'non-existent';
export const DICT_TYPE_NOUTF8 = 'non-UTF-8';

export interface DictEntry {
  key: string;
  value: string;
}

/**
 * A lookup table. Subclasses override what they support; the defaults end the program,
 * as Postfix does for an operation that a table type does not have.
 */
export class Dict {
  flags = DICT_FLAG_FIXED;
  error = DICT_ERR_NONE;
  /** The errno that C code would see after the last failed operation (for "%m"). */
  errno = 0;
  lockType = MYFLOCK_STYLE_FCNTL;
  lockFd = -1;
  statFd = -1;
  mtime = 0;
  owner: DictOwner = { status: DICT_OWNER_UNKNOWN, uid: 0x7fffffff };
  /** Set by dictFileToB64() when it fails. */
  fileError = '';

  constructor(public type: string, public name: string) {}

  async lookup(_key: string): Promise<string | null> {
    return msg.fatal(`table ${this.type}:${this.name}: lookup operation is not supported`);
  }

  async update(_key: string, _value: string): Promise<number> {
    return msg.fatal(`table ${this.type}:${this.name}: update operation is not supported`);
  }

  async delete(_key: string): Promise<number> {
    return msg.fatal(`table ${this.type}:${this.name}: delete operation is not supported`);
  }

  /** The first or next entry, or null at the end (error 0) or on failure (error set). */
  async sequence(_func: number): Promise<DictEntry | null> {
    return msg.fatal(`table ${this.type}:${this.name}: sequence operation is not supported`);
  }

  /** Postfix: dict->lock(). Returns 0, or -1 with errno set. */
  lock(operation: number): number {
    if (this.lockFd < 0) return 0;
    try {
      myflock(this.lockFd, this.lockType, operation);
      return 0;
    } catch (err) {
      this.errno = errnoOf(err) ?? 0;
      return -1;
    }
  }

  async close(): Promise<void> {
    // Nothing to release by default.
  }

  /**
   * The shared or exclusive lock around one access (DICT_FLAG_LOCK), or its release;
   * failure is fatal. what is "lock" or "unlock", for the message.
   */
  protected lockAccess(operation: number, what: string): void {
    if ((this.flags & DICT_FLAG_LOCK) === 0) return;
    try {
      myflock(this.lockFd, this.lockType, operation);
    } catch (err) {
      msg.fatal(`${this.name}: ${what} dictionary: ${percentM(errnoOf(err) ?? 0)}`);
    }
  }

  /** Indexed tables must know whether keys carry a null byte, or try both ways. */
  protected requireNullFlags(myname: string): void {
    if ((this.flags & (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL)) === 0) {
      msg.panic(`${myname}: no DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL flag`);
    }
  }

  /** The key as a fixed-case table stores it: lowercased when DICT_FLAG_FOLD_FIX is set. */
  protected foldFix(key: string): string {
    return this.flags & DICT_FLAG_FOLD_FIX ? lowercase(key) : key;
  }

  /** The key as a pattern table matches it: lowercased when DICT_FLAG_FOLD_MUL is set. */
  protected foldMul(key: string): string {
    return this.flags & DICT_FLAG_FOLD_MUL ? lowercase(key) : key;
  }

  /** Postfix: DICT_ERR_VAL_RETURN(). */
  protected result<T>(error: number, value: T): T {
    this.error = error;
    return value;
  }
}

/**
 * Thrown by a table whose bulk update was rolled back and started again (an LMDB build
 * that outgrew its memory map): the caller must feed it every record again from the
 * start. Postfix does this with dict_setjmp()/dict_longjmp().
 */
export class DictBulkRestart extends Error {
  constructor() {
    super('bulk-mode transaction restarted');
  }
}

/** An open table file: its descriptor for locks and change detection, owner and time. */
export function dictFileState(dict: Dict, fd: number, lockType: number): void {
  const st = fstatSync(fd);
  dict.lockFd = fd;
  dict.statFd = fd;
  dict.lockType = lockType;
  dict.mtime = Math.floor(st.mtimeMs / 1000);
  dict.owner = { status: st.uid !== 0 ? DICT_OWNER_UNTRUSTED : DICT_OWNER_TRUSTED, uid: st.uid };
}

/** Warn about a source file that changed after its table was built (but not just now). */
export function warnOlderThanSource(dict: Dict, tablePath: string, sourcePath: string): void {
  let source: number;
  try {
    source = Math.floor(statSync(sourcePath).mtimeMs / 1000);
  } catch {
    return; // no source file: nothing to compare
  }
  if (source > dict.mtime && source < Math.floor(Date.now() / 1000) - 100) {
    msg.warn(`database ${tablePath} is older than source file ${sourcePath}`);
  }
}

/** Postfix: dict_type_override(). */
export function dictTypeOverride(dict: Dict, type: string): void {
  dict.type = type;
}

/*
 * Continuing with reduced functionality: a table that could not be opened answers every
 * request with a temporary failure and a warning, instead of killing the program. Only
 * programs that set dictAllowSurrogate get one; the others die at open time.
 */
let allowSurrogate = false;

/** Postfix: dict_allow_surrogate. */
export function setDictAllowSurrogate(on: boolean): void {
  allowSurrogate = on;
}

class DictSurrogate extends Dict {
  constructor(type: string, name: string, private readonly reason: string, readWrite: boolean) {
    super(type, name);
    if (readWrite) {
      this.update = async () => this.unavailable(DICT_STAT_ERROR);
      this.delete = async () => this.unavailable(DICT_STAT_ERROR);
    }
  }

  private unavailable<T>(value: T): T {
    msg.warn(`${this.type}:${this.name} is unavailable. ${this.reason}`);
    return this.result(DICT_ERR_RETRY, value);
  }

  override async lookup(): Promise<string | null> {
    return this.unavailable(null);
  }

  override async sequence(): Promise<DictEntry | null> {
    return this.unavailable(null);
  }
}

/** Postfix: dict_surrogate(): report why a table cannot be opened, and stand in for it. */
export function dictSurrogate(type: string, name: string, openFlags: number, dictFlags: number, reason: string): Dict {
  if (allowSurrogate) msg.error(reason);
  else msg.fatal(reason);
  const dict = new DictSurrogate(type, name, reason, (openFlags & O_ACCMODE) === O_RDWR);
  dict.flags = dictFlags | DICT_FLAG_PATTERN;
  dict.owner = { status: DICT_OWNER_TRUSTED, uid: 0x7fffffff };
  return dict;
}

/* open(2) flags, for the open functions. */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;

/*
 * UTF-8 keys and values. Bad UTF-8 in a key means the entry cannot exist, so the request
 * is skipped with a warning; a bad value from a lookup is a configuration error. Folding
 * is done here (Unicode case folding), so the table underneath sees no fold flags.
 */
function utf8CheckFold(dict: Dict, text: string): string | null {
  if (!allAscii(text) && !validUtf8String(text)) return null;
  const fold = dict.flags & DICT_FLAG_FOLD_ANY;
  if (fold !== 0 && (fold & (dict.flags & DICT_FLAG_FIXED ? DICT_FLAG_FOLD_FIX : DICT_FLAG_FOLD_MUL))) {
    return casefoldUtf8(text);
  }
  return text;
}

const UTF8_ERR = 'malformed UTF-8 or invalid codepoint';

async function withoutFolding<T>(dict: Dict, call: () => Promise<T>): Promise<T> {
  const saved = dict.flags & DICT_FLAG_FOLD_ANY;
  dict.flags &= ~DICT_FLAG_FOLD_ANY;
  try {
    return await call();
  } finally {
    dict.flags |= saved;
  }
}

/** Postfix: dict_utf8_activate(). */
export function dictUtf8Activate(dict: Dict): Dict {
  if ((dict.flags & DICT_FLAG_UTF8_REQUEST) === 0) {
    msg.panic(`dict_utf8_activate: ${dict.type}:${dict.name} does not request Unicode support`);
  }
  if (dict.flags & DICT_FLAG_UTF8_ACTIVE) {
    msg.panic(`dict_utf8_activate: ${dict.type}:${dict.name} Unicode support is already activated`);
  }
  const lookup = dict.lookup.bind(dict);
  const update = dict.update.bind(dict);
  const del = dict.delete.bind(dict);
  dict.lookup = async (key) => {
    const folded = utf8CheckFold(dict, key);
    if (folded === null) {
      msg.warn(`${dict.type}:${dict.name}: non-UTF-8 key "${key}": ${UTF8_ERR}`);
      dict.error = DICT_ERR_NONE;
      return null;
    }
    const value = await withoutFolding(dict, () => lookup(folded));
    if (value !== null && !allAscii(value) && !validUtf8String(value)) {
      msg.warn(`${dict.type}:${dict.name}: key "${key}": non-UTF-8 value "${value}": ${UTF8_ERR}`);
      dict.error = DICT_ERR_CONFIG;
      return null;
    }
    return value;
  };
  dict.update = async (key, value) => {
    const folded = utf8CheckFold(dict, key);
    if (folded === null) {
      msg.warn(`${dict.type}:${dict.name}: non-UTF-8 key "${key}": ${UTF8_ERR}`);
      dict.error = DICT_ERR_NONE;
      return DICT_STAT_SUCCESS;
    }
    if (!allAscii(value) && !validUtf8String(value)) {
      msg.warn(`${dict.type}:${dict.name}: key "${key}": non-UTF-8 value "${value}": ${UTF8_ERR}`);
      dict.error = DICT_ERR_NONE;
      return DICT_STAT_SUCCESS;
    }
    return withoutFolding(dict, () => update(folded, value));
  };
  dict.delete = async (key) => {
    const folded = utf8CheckFold(dict, key);
    if (folded === null) {
      msg.warn(`${dict.type}:${dict.name}: non-UTF-8 key "${key}": ${UTF8_ERR}`);
      dict.error = DICT_ERR_NONE;
      return DICT_STAT_SUCCESS;
    }
    return withoutFolding(dict, () => del(folded));
  };
  dict.flags |= DICT_FLAG_UTF8_ACTIVE;
  return dict;
}

/** Postfix: dict_debug(): log every access (DICT_FLAG_DEBUG). */
export function dictDebug(dict: Dict): Dict {
  if ((dict.flags & DICT_FLAG_DEBUG) === 0) return dict;
  const label = () => `${dict.type}:${dict.name}`;
  const lookup = dict.lookup.bind(dict);
  const update = dict.update.bind(dict);
  const del = dict.delete.bind(dict);
  const sequence = dict.sequence.bind(dict);
  const outcome = (status: number) => (status === 0 ? 'success' : dict.error ? 'error' : 'failed');
  dict.lookup = async (key) => {
    const value = await lookup(key);
    msg.info(`${label()} lookup: "${key}" = "${value ?? (dict.error ? 'error' : 'not_found')}"`);
    return value;
  };
  dict.update = async (key, value) => {
    const status = await update(key, value);
    msg.info(`${label()} update: "${key}" = "${value}": ${outcome(status)}`);
    return status;
  };
  dict.delete = async (key) => {
    const status = await del(key);
    msg.info(`${label()} delete: "${key}": ${outcome(status)}`);
    return status;
  };
  dict.sequence = async (func) => {
    const entry = await sequence(func);
    if (entry !== null) msg.info(`${label()} sequence: "${entry.key}" = "${entry.value}"`);
    else msg.info(`${label()} sequence: found EOF`);
    return entry;
  };
  return dict;
}

/*
 * Named handles: tables that several users share (the components of unionmap and
 * pipemap, the tables of maps_create()) are registered under their "type:name", with a
 * reference count, and closed when the last user lets go.
 */
const registry = new Map<string, { dict: Dict; refcount: number }>();

/** Postfix: dict_register(). */
export function dictRegister(name: string, dict: Dict): void {
  const node = registry.get(name);
  if (node === undefined) {
    registry.set(name, { dict, refcount: 1 });
  } else if (node.dict !== dict) {
    msg.fatal(`dict_register: dictionary name exists: ${name}`);
  } else {
    node.refcount++;
  }
  if (msg.verbose > 1) msg.info(`dict_register: ${name} ${registry.get(name)!.refcount}`);
}

/** Postfix: dict_handle(). */
export function dictHandle(name: string): Dict | undefined {
  return registry.get(name)?.dict;
}

/** Postfix: dict_unregister(). */
export async function dictUnregister(name: string): Promise<void> {
  const node = registry.get(name);
  if (node === undefined) return msg.panic(`non-existing dictionary: ${name}`);
  if (msg.verbose > 1) msg.info(`dict_unregister: ${name} ${node.refcount}`);
  if (--node.refcount === 0) {
    registry.delete(name);
    await node.dict.close();
  }
}

/* Flag names, for dict_flags_str() and dict_flags_mask(), in Postfix's order. */
const DICT_MASK: [string, number][] = [
  ['warn_dup', DICT_FLAG_DUP_WARN], ['ignore_dup', DICT_FLAG_DUP_IGNORE], ['try0null', DICT_FLAG_TRY0NULL],
  ['try1null', DICT_FLAG_TRY1NULL], ['fixed', DICT_FLAG_FIXED], ['pattern', DICT_FLAG_PATTERN],
  ['lock', DICT_FLAG_LOCK], ['replace', DICT_FLAG_DUP_REPLACE], ['sync_update', DICT_FLAG_SYNC_UPDATE],
  ['debug', DICT_FLAG_DEBUG], ['no_regsub', DICT_FLAG_NO_REGSUB], ['no_proxy', DICT_FLAG_NO_PROXY],
  ['no_unauth', DICT_FLAG_NO_UNAUTH], ['fold_fix', DICT_FLAG_FOLD_FIX], ['fold_mul', DICT_FLAG_FOLD_MUL],
  ['open_lock', DICT_FLAG_OPEN_LOCK], ['bulk_update', DICT_FLAG_BULK_UPDATE], ['multi_writer', DICT_FLAG_MULTI_WRITER],
  ['utf8_request', DICT_FLAG_UTF8_REQUEST], ['utf8_active', DICT_FLAG_UTF8_ACTIVE],
  ['src_rhs_is_file', DICT_FLAG_SRC_RHS_IS_FILE],
];

/** Postfix: dict_flags_str(): names joined with '|', unknown bits in hex. */
export function dictFlagsStr(flags: number): string {
  const names: string[] = [];
  let rest = flags;
  for (const [name, bit] of DICT_MASK) {
    if (flags & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) names.push(`0x${(rest >>> 0).toString(16)}`);
  return names.join('|');
}

/** Postfix: dict_flags_mask(). Unknown names are fatal, as with name_mask(). */
export function dictFlagsMask(names: string): number {
  let mask = 0;
  for (const name of names.split(/[, \t\r\n]+/).filter((n) => n !== '')) {
    const found = DICT_MASK.find(([n]) => n === name);
    if (found === undefined) msg.fatal(`unknown dictionary flags value "${name}" in "${names}"`);
    mask |= found[1];
  }
  return mask;
}
