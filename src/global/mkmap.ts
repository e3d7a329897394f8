/*
 * mkmap - open a table for a bulk build (postmap, postalias): the types that can be
 * created from scratch, with the locking each needs around the build.
 * Counterpart: postfix/src/global/mkmap_open.c, mkmap.h and the mkmap_*.c modules.
 * The table is opened with the caller's open flags (O_TRUNC for a rebuild); UTF-8
 * checks and folding are added last, as for any other open.
 */
import { msg } from '../util/msg.js';
import { utilUtf8Enable } from '../util/printable.js';
import {
  type Dict, DICT_FLAG_DUP_WARN, DICT_FLAG_MULTI_WRITER, DICT_FLAG_UTF8_ACTIVE, DICT_FLAG_UTF8_MASK, dictUtf8Activate,
} from '../util/dict.js';
import { type DictOpenFn, dictMapnames } from '../util/dict_open.js';
import { dictFailOpen } from '../util/dict_fail.js';
import { mkmapBtreeOpen, mkmapHashOpen } from './mkmap_db.js';
import { dictCdbOpen } from '../util/dict_cdb.js';
import { dictLmdbOpen } from '../util/dict_lmdb.js';

/** What a type does around the build: its open function, and hooks after open and close. */
export interface MkmapHooks {
  open: DictOpenFn;
  afterOpen?: (dict: Dict) => void;
  afterClose?: () => void;
}

/** A type's "before open" step, given the table path (Postfix: MKMAP_OPEN_FN). */
export type MkmapOpenFn = (path: string) => MkmapHooks;

export interface Mkmap {
  dict: Dict;
  hooks: MkmapHooks;
  multiWriter: boolean;
}

const mkmapTypes = new Map<string, MkmapOpenFn>([
  ['hash', mkmapHashOpen],
  ['btree', mkmapBtreeOpen],
  ['cdb', () => ({ open: dictCdbOpen })], // cdb makes its own lock
  ['lmdb', () => ({ open: dictLmdbOpen })], // LMDB readers need no lock
  ['fail', () => ({ open: dictFailOpen })],
]);

/** Postfix: mkmap_open_register(). */
export function mkmapOpenRegister(type: string, open: MkmapOpenFn): void {
  if (mkmapTypes.has(type)) msg.panic(`mkmap_open_register: database type exists: ${type}`);
  mkmapTypes.set(type, open);
}

/** Postfix: mkmap_open(). */
export async function mkmapOpen(type: string, path: string, openFlags: number, dictFlags: number): Promise<Mkmap> {
  const before = mkmapTypes.get(type);
  if (before === undefined) {
    // Worded as Postfix built with dynamic maps (Debian's) words it.
    if (dictMapnames().includes(type)) msg.fatal(`unsupported dictionary type: ${type} does not support bulk-mode creation.`);
    msg.fatal(`unsupported dictionary type: ${type}. Is the postfix-${type} package installed?`);
  }
  if (msg.verbose) msg.info(`open ${type} ${path}`);
  const hooks = before(path);
  let dict = await hooks.open(path, openFlags, dictFlags);
  // Per-record locking and change detection are for other users, not for a build.
  dict.lockFd = -1;
  dict.statFd = -1;
  dict.flags |= DICT_FLAG_DUP_WARN;
  const multiWriter = (dict.flags & DICT_FLAG_MULTI_WRITER) !== 0;
  hooks.afterOpen?.(dict);
  if ((dict.flags & DICT_FLAG_UTF8_ACTIVE) === 0 && utilUtf8Enable && (dictFlags & DICT_FLAG_UTF8_MASK)) {
    dict = dictUtf8Activate(dict);
  }
  return { dict, hooks, multiWriter };
}

/** Postfix: the mkmap_append() macro: a plain update; callers check dict.error. */
export async function mkmapAppend(mkmap: Mkmap, key: string, value: string): Promise<void> {
  await mkmap.dict.update(key, value);
}

/** Postfix: mkmap_close(). */
export async function mkmapClose(mkmap: Mkmap): Promise<void> {
  await mkmap.dict.close();
  mkmap.hooks.afterClose?.();
}
