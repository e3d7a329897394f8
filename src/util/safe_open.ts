/*
 * safe_open - open or create a file without being lured through a symbolic or hard link.
 * Counterpart: postfix/src/util/safe_open.c. Synchronous, for start-up code and commands.
 * Failure gives the reason as Postfix words it ("cannot create file exclusively: ...")
 * and the errno name, so that the caller can print "open lock file X: <why>".
 */
import { closeSync, constants as fsConstants, fchownSync, fstatSync, lstatSync, openSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { msg } from './msg.js';
import { isErrno, strerror } from './strerror.js';

export type SafeOpenResult =
  | { fd: number; st: Stats; why?: undefined; code?: undefined }
  | { fd: null; why: string; code: string };

const { O_CREAT, O_EXCL } = fsConstants;

function failure(why: string, code: string): SafeOpenResult {
  return { fd: null, why, code };
}

/* Postfix: safe_open_exist(). */
function openExisting(path: string, flags: number): SafeOpenResult {
  let fd: number;
  try {
    fd = openSync(path, flags & ~(O_CREAT | O_EXCL));
  } catch (err) {
    return failure(`cannot open file: ${strerror(err)}`, (err as NodeJS.ErrnoException).code ?? 'EIO');
  }
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch (err) {
    return msg.fatal(`${path}: bad open file status: ${strerror(err)}`);
  }
  const reject = (why: string, code: string) => {
    closeSync(fd);
    return failure(why, code);
  };
  if (st.nlink !== 1) return reject(`file has ${st.nlink} hard links`, 'EPERM');
  if (st.isDirectory()) return reject('file is a directory', 'EISDIR');
  let lst: Stats;
  try {
    lst = lstatSync(path);
  } catch (err) {
    return reject(`file status changed unexpectedly: ${strerror(err)}`, 'EPERM');
  }
  if (lst.isSymbolicLink()) {
    // Only a root-owned link in a directory that only root can write is trusted.
    if (lst.uid === 0) {
      try {
        const parent = statSync(dirname(path));
        if (parent.uid === 0 && (parent.mode & 0o022) === 0) return { fd, st };
      } catch (err) {
        if (!isErrno(err, 'ENOENT')) throw err;
      }
    }
    return reject('file is a symbolic link', 'EPERM');
  }
  if (st.dev !== lst.dev || st.ino !== lst.ino || st.nlink !== lst.nlink || st.mode !== lst.mode) {
    return reject('file status changed unexpectedly', 'EPERM');
  }
  return { fd, st };
}

/* Postfix: safe_open_create(). O_EXCL does not follow a symbolic link. */
function createNew(path: string, flags: number, mode: number, user: number, group: number): SafeOpenResult {
  let fd: number;
  try {
    fd = openSync(path, flags | O_CREAT | O_EXCL, mode);
  } catch (err) {
    return failure(`cannot create file exclusively: ${strerror(err)}`, (err as NodeJS.ErrnoException).code ?? 'EIO');
  }
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch (err) {
    return msg.fatal(`${path}: bad open file status: ${strerror(err)}`);
  }
  if (user !== -1 || group !== -1) {
    try {
      fchownSync(fd, user, group);
    } catch (err) {
      msg.warn(`${path}: cannot change file ownership: ${strerror(err)}`);
      closeSync(fd);
      return failure('', (err as NodeJS.ErrnoException).code ?? 'EPERM');
    }
  }
  return { fd, st };
}

/**
 * Postfix: safe_open(). flags are open(2) flags: without O_CREAT an existing file is
 * opened, with O_CREAT|O_EXCL one is created, with O_CREAT either. user and group (-1:
 * unchanged) apply to a file that is created.
 */
export function safeOpen(path: string, flags: number, mode: number, user = -1, group = -1): SafeOpenResult {
  switch (flags & (O_CREAT | O_EXCL)) {
    case 0:
      return openExisting(path, flags);
    case O_CREAT | O_EXCL:
      return createNew(path, flags, mode, user, group);
    case O_CREAT: {
      let result = openExisting(path, flags);
      if (result.fd === null && result.code === 'ENOENT') {
        result = createNew(path, flags, mode, user, group);
        if (result.fd === null && result.code === 'EEXIST') result = openExisting(path, flags);
      }
      return result;
    }
    default:
      return msg.panic('safe_open: O_EXCL flag without O_CREAT flag');
  }
}
