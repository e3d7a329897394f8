/*
 * mkmap_db - building "hash" and "btree" tables: an exclusive lock on the ".db" file for
 * the whole build, and a large cache (berkeley_db_create_buffer_size).
 * Counterpart: postfix/src/global/mkmap_db.c. Berkeley DB refuses to open an empty file,
 * so an empty ".db" file is removed (under the lock) and the library creates a new one,
 * which is then locked after it is opened.
 */
import { closeSync, fstatSync, openSync, unlinkSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { errnoOf, percentM } from '../util/strerror.js';
import { myflock, MYFLOCK_OP_EXCLUSIVE, MYFLOCK_STYLE_FLOCK } from '../util/myflock.js';
import { O_RDWR } from '../util/dict.js';
import { type DictOpenFn } from '../util/dict_open.js';
import { dictBtreeOpen, dictHashOpen, setDictDbCacheSize } from '../util/dict_db.js';
import { mailConfInt } from './mail_conf.js';
import type { MkmapHooks } from './mkmap.js';

const mPercent = (err: unknown) => percentM(errnoOf(err) ?? 0);

function lockOrDie(fd: number, path: string): void {
  try {
    myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE);
  } catch (err) {
    msg.fatal(`lock ${path}: ${mPercent(err)}`);
  }
}

/** Postfix: mkmap_db_before_open(). */
function beforeOpen(path: string, open: DictOpenFn): MkmapHooks {
  setDictDbCacheSize(mailConfInt('berkeley_db_create_buffer_size'));
  const lockFile = `${path}.db`;
  let lockFd = -1;
  try {
    lockFd = openSync(lockFile, O_RDWR, 0o644);
  } catch (err) {
    if (errnoOf(err) !== 2) msg.fatal(`open ${lockFile}: ${mPercent(err)}`);
  }
  if (lockFd >= 0) {
    lockOrDie(lockFd, lockFile);
    const st = fstatSync(lockFd);
    if (st.size === 0) {
      if (st.nlink > 0) {
        try {
          unlinkSync(lockFile);
        } catch (err) {
          msg.fatal(`cannot remove zero-length database file ${lockFile}: ${mPercent(err)}`);
        }
        msg.warn(`removing zero-length database file: ${lockFile}`);
      }
      closeSync(lockFd);
      lockFd = -1;
    }
  }
  return {
    open,
    afterOpen: () => {
      if (lockFd >= 0) return;
      try {
        lockFd = openSync(lockFile, O_RDWR, 0o644);
      } catch (err) {
        msg.fatal(`open lockfile ${lockFile}: ${mPercent(err)}`);
      }
      lockOrDie(lockFd, lockFile);
    },
    afterClose: () => {
      if (lockFd < 0) return;
      try {
        closeSync(lockFd);
      } catch (err) {
        msg.warn(`close ${lockFile}: ${mPercent(err)}`);
      }
    },
  };
}

/** Postfix: mkmap_hash_open(). */
export const mkmapHashOpen = (path: string) => beforeOpen(path, dictHashOpen);

/** Postfix: mkmap_btree_open(). */
export const mkmapBtreeOpen = (path: string) => beforeOpen(path, dictBtreeOpen);
