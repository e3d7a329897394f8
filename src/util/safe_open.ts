/*
 * safe_open - open or create a file without being tricked by links into clobbering another.
 * Counterpart: postfix/src/util/safe_open.c. An existing file must have one hard link and
 * be no directory, and must be the file that lstat() finds at the path (a symlink only when
 * root owns it and its directory is writable by root alone); a new file is created with
 * O_EXCL, which follows no symlink. Failures come back with Postfix's reason text and errno.
 */
import { closeSync, constants, fchownSync, fstatSync, lstatSync, openSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { msg } from './msg.js';
import { errnoOf, strerror } from './strerror.js';

const { O_CREAT, O_EXCL } = constants;
const EPERM = 1;
const ENOENT = 2;
const EEXIST = 17;
const EISDIR = 21;

export interface SafeOpenFile {
  fd: number;
  st: Stats;
}

export interface SafeOpenError {
  why: string; // Postfix's reason text
  errno: number;
}

export type SafeOpenResult = SafeOpenFile | SafeOpenError;

export function isSafeOpenError(r: SafeOpenResult): r is SafeOpenError {
  return (r as SafeOpenError).why !== undefined;
}

function failure(why: string, err: unknown): SafeOpenError {
  return { why, errno: errnoOf(err) ?? 0 };
}

/** The directory of a path as Postfix's sane_dirname() gives it. */
function saneDirname(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  if (!trimmed.includes('/')) return '.';
  return dirname(trimmed);
}

function openExisting(path: string, flags: number): SafeOpenResult {
  let fd: number;
  try {
    fd = openSync(path, flags & ~(O_CREAT | O_EXCL));
  } catch (err) {
    return failure(`cannot open file: ${strerror(err)}`, err);
  }
  const st = fstatSync(fd);
  let result: SafeOpenError | undefined;
  let lst: Stats | undefined;
  if (st.nlink !== 1) {
    result = { why: `file has ${st.nlink} hard links`, errno: EPERM };
  } else if (st.isDirectory()) {
    result = { why: 'file is a directory', errno: EISDIR };
  } else {
    try {
      lst = lstatSync(path);
    } catch (err) {
      result = { why: `file status changed unexpectedly: ${strerror(err)}`, errno: EPERM };
    }
  }
  if (result === undefined && lst !== undefined) {
    if (lst.isSymbolicLink()) {
      // A root-owned symlink in a directory that only root may change is trusted.
      if (lst.uid === 0) {
        try {
          const parent = statSync(saneDirname(path));
          if (parent.uid === 0 && (parent.mode & 0o022) === 0) return { fd, st };
        } catch {
          // an unusable parent directory counts as an unsafe one
        }
      }
      result = { why: 'file is a symbolic link', errno: EPERM };
    } else if (st.dev !== lst.dev || st.ino !== lst.ino || st.nlink !== lst.nlink || st.mode !== lst.mode) {
      result = { why: 'file status changed unexpectedly', errno: EPERM };
    } else {
      return { fd, st };
    }
  }
  closeSync(fd);
  return result!;
}

function createNew(path: string, flags: number, mode: number, uid: number, gid: number): SafeOpenResult {
  let fd: number;
  try {
    fd = openSync(path, flags | O_CREAT | O_EXCL, mode);
  } catch (err) {
    return failure(`cannot create file exclusively: ${strerror(err)}`, err);
  }
  const st = fstatSync(fd);
  if (uid !== -1 || gid !== -1) {
    try {
      fchownSync(fd, uid, gid);
    } catch (err) {
      // Do not remove the file: someone else may have opened it by now.
      msg.warn(`${path}: cannot change file ownership: ${strerror(err)}`);
      closeSync(fd);
      return failure('', err); // Postfix leaves the reason text as it was
    }
  }
  return { fd, st };
}

/**
 * Postfix: safe_open(). flags are open(2) flags; with O_CREAT (and no O_EXCL) an existing
 * file is opened carefully, else a new one created. uid/gid -1: leave a new file's owner.
 */
export function safeOpen(path: string, flags: number, mode: number, uid = -1, gid = -1): SafeOpenResult {
  switch (flags & (O_CREAT | O_EXCL)) {
    case 0:
      return openExisting(path, flags);
    case O_CREAT | O_EXCL:
      return createNew(path, flags, mode, uid, gid);
    case O_CREAT: {
      let r = openExisting(path, flags);
      if (isSafeOpenError(r) && r.errno === ENOENT) {
        const why = r.why;
        r = createNew(path, flags, mode, uid, gid);
        if (isSafeOpenError(r) && r.why === '') r.why = why;
        if (isSafeOpenError(r) && r.errno === EEXIST) r = openExisting(path, flags);
      }
      return r;
    }
    default:
      return msg.panic('safe_open: O_EXCL flag without O_CREAT flag');
  }
}
