/*
 * dict_open - open a lookup table by "type:name", and the registry of table types.
 * Counterpart: postfix/src/util/dict_open.c. Postfix loads cdb, lmdb and pcre as
 * plug-ins listed in dynamicmaps.cf; here every type is built in, and types that need
 * Postfix-specific code (proxy, memcache, the SQL and LDAP clients) are added by
 * global/mail_dict.ts through dictOpenRegister(), as mail_dict_init() does.
 */
import { msg } from './msg.js';
import { utilUtf8Enable } from './printable.js';
import {
  type Dict, DICT_FLAG_LOCK, DICT_FLAG_MULTI_WRITER, DICT_FLAG_OPEN_LOCK, DICT_FLAG_UTF8_ACTIVE, DICT_FLAG_UTF8_MASK,
  dictSurrogate, dictUtf8Activate,
} from './dict.js';
import { percentM } from './strerror.js';
import { MYFLOCK_OP_EXCLUSIVE, MYFLOCK_OP_NOWAIT } from './myflock.js';
import { dictEnvOpen } from './dict_env.js';
import { dictHtOpen } from './dict_ht.js';
import { dictStaticOpen } from './dict_static.js';
import { dictFailOpen } from './dict_fail.js';
import { dictInlineOpen } from './dict_inline.js';
import { dictThashOpen } from './dict_thash.js';
import { dictCidrOpen } from './dict_cidr.js';
import { dictRegexpOpen } from './dict_regexp.js';
import { dictPcreOpen } from './dict_pcre.js';
import { dictUnionOpen } from './dict_union.js';
import { dictPipeOpen } from './dict_pipe.js';
import { dictRandomOpen } from './dict_random.js';
import { dictBtreeOpen, dictHashOpen } from './dict_db.js';
import { dictCdbOpen } from './dict_cdb.js';
import { dictLmdbOpen } from './dict_lmdb.js';
import { dictUnixOpen } from './dict_unix.js';
import { dictTcpOpen } from './dict_tcp.js';
import { dictSockmapOpen } from './dict_sockmap.js';

/** An open function: name without the type, open(2) flags, DICT_FLAG_* flags. */
export type DictOpenFn = (name: string, openFlags: number, dictFlags: number) => Promise<Dict>;

export const DICT_TYPE_ENVIRON = 'environ';
export const DICT_TYPE_HT = 'internal';
export const DICT_TYPE_UNIX = 'unix';
export const DICT_TYPE_TCP = 'tcp';
export const DICT_TYPE_SOCKMAP = 'socketmap';
export const DICT_TYPE_HASH = 'hash';
export const DICT_TYPE_BTREE = 'btree';
export const DICT_TYPE_STATIC = 'static';
export const DICT_TYPE_FAIL = 'fail';
export const DICT_TYPE_INLINE = 'inline';
export const DICT_TYPE_THASH = 'texthash';
export const DICT_TYPE_CIDR = 'cidr';
export const DICT_TYPE_REGEXP = 'regexp';
export const DICT_TYPE_PCRE = 'pcre';
export const DICT_TYPE_CDB = 'cdb';
export const DICT_TYPE_LMDB = 'lmdb';
export const DICT_TYPE_UNION = 'unionmap';
export const DICT_TYPE_PIPE = 'pipemap';
export const DICT_TYPE_RANDOM = 'randmap';

let openTable: Map<string, DictOpenFn> | undefined;

function table(): Map<string, DictOpenFn> {
  openTable ??= new Map<string, DictOpenFn>([
    [DICT_TYPE_ENVIRON, dictEnvOpen],
    [DICT_TYPE_HT, dictHtOpen],
    [DICT_TYPE_UNIX, dictUnixOpen],
    [DICT_TYPE_TCP, dictTcpOpen],
    [DICT_TYPE_SOCKMAP, dictSockmapOpen],
    [DICT_TYPE_HASH, dictHashOpen],
    [DICT_TYPE_BTREE, dictBtreeOpen],
    [DICT_TYPE_STATIC, dictStaticOpen],
    [DICT_TYPE_CIDR, dictCidrOpen],
    [DICT_TYPE_THASH, dictThashOpen],
    [DICT_TYPE_FAIL, dictFailOpen],
    [DICT_TYPE_PIPE, dictPipeOpen],
    [DICT_TYPE_RANDOM, dictRandomOpen],
    [DICT_TYPE_UNION, dictUnionOpen],
    [DICT_TYPE_INLINE, dictInlineOpen],
    [DICT_TYPE_REGEXP, dictRegexpOpen],
    [DICT_TYPE_PCRE, dictPcreOpen],
    [DICT_TYPE_CDB, dictCdbOpen],
    [DICT_TYPE_LMDB, dictLmdbOpen],
  ]);
  return openTable;
}

/** Postfix: dict_open(): "type:name". */
export function dictOpen(spec: string, openFlags: number, dictFlags: number): Promise<Dict> {
  const colon = spec.indexOf(':');
  if (colon < 0) msg.fatal(`open dictionary: expecting "type:name" form instead of "${spec}"`);
  return dictOpen3(spec.slice(0, colon), spec.slice(colon + 1), openFlags, dictFlags);
}

/** Postfix: dict_open3(). */
export async function dictOpen3(type: string, name: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (type === '' || name === '') msg.fatal(`open dictionary: expecting "type:name" form instead of "${type}:${name}"`);
  const open = table().get(type);
  if (open === undefined) {
    return dictSurrogate(type, name, openFlags, dictFlags, `unsupported dictionary type: ${type}`);
  }
  let dict = await open(name, openFlags, dictFlags);
  if (msg.verbose) msg.info(`dict_open: ${type}:${name}`);
  if (dict.flags & DICT_FLAG_OPEN_LOCK) {
    if (dict.flags & DICT_FLAG_LOCK) {
      msg.panic(`dict_open: attempt to open ${type}:${name} with both "open" lock and "access" lock`);
    }
    if (dict.flags & DICT_FLAG_MULTI_WRITER) {
      // Safe with concurrent writers: a lock per access is enough.
      dict.flags &= ~DICT_FLAG_OPEN_LOCK;
      dict.flags |= DICT_FLAG_LOCK;
    } else if (dict.lock(MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT) < 0) {
      msg.fatal(`${type}:${name}: unable to get exclusive lock: ${percentM(dict.errno)}`);
    }
  }
  if ((dict.flags & DICT_FLAG_UTF8_ACTIVE) === 0 && utilUtf8Enable && (dictFlags & DICT_FLAG_UTF8_MASK)) {
    dict = dictUtf8Activate(dict);
  }
  return dict;
}

/** Postfix: dict_open_register(). */
export function dictOpenRegister(type: string, open: DictOpenFn): void {
  if (table().has(type)) msg.panic(`dict_open_register: dictionary type exists: ${type}`);
  table().set(type, open);
}

/** Postfix: dict_mapnames(): the supported types, sorted. */
export function dictMapnames(): string[] {
  return [...table().keys()].sort();
}
