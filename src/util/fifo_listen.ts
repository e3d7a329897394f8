/*
 * fifo_listen - a named pipe that a server reads its wake-up requests from.
 * Counterpart: postfix/src/util/fifo_listen.c. Opened read-write so that it never reads
 * as end-of-file when writers come and go (Linux); stale bytes are drained at creation.
 * Every error is fatal.
 */
import { constants, fchmodSync, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import { msg } from './msg.js';
import { nonBlocking } from './poll_fd.js';
import { isErrno, strerror } from './strerror.js';
import { mkfifo } from './sys_process.js';

/** Postfix: fifo_listen(). */
export function fifoListen(path: string, permissions: number, blockMode: number): number {
  const myname = 'fifo_listen';
  try {
    unlinkSync(path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) msg.fatal(`${myname}: remove ${path}: ${strerror(err)}`);
  }
  try {
    mkfifo(path, permissions);
  } catch (err) {
    msg.fatal(`${myname}: create fifo ${path}: ${strerror(err)}`);
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  } catch (err) {
    return msg.fatal(`${myname}: open ${path}: ${strerror(err)}`);
  }
  if (!fstatSync(fd).isFIFO()) msg.fatal(`${myname}: not a fifo: ${path}`);
  // mkfifo() is subject to the umask.
  try {
    fchmodSync(fd, permissions);
  } catch (err) {
    msg.fatal(`${myname}: fchmod ${path}: ${strerror(err)}`);
  }
  const junk = Buffer.alloc(100);
  for (;;) {
    try {
      if (readSync(fd, junk, 0, junk.length, null) <= 0) break;
    } catch (err) {
      if (isErrno(err, 'EAGAIN')) break;
      throw err;
    }
  }
  nonBlocking(fd, blockMode);
  return fd;
}
