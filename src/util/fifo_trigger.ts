/*
 * fifo_trigger - wake up a server through a named pipe: open it without blocking, write
 * the request bytes (no NUL, unlike a socket trigger), close.
 * Counterpart: postfix/src/util/fifo_trigger.c. The open refuses what safe_open() refuses:
 * hard-linked files, directories, and symbolic links (unless root owns the link and its
 * root-owned parent directory is not group- or world-writable).
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { msg } from './msg.js';
import { strerror } from './strerror.js';

/** Postfix: safe_open() of an existing file. The handle, or why not. */
async function safeOpenExisting(path: string, flags: number): Promise<FileHandle | string> {
  let fh: FileHandle;
  try {
    fh = await open(path, flags & ~(constants.O_CREAT | constants.O_EXCL));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    return `cannot open file: ${strerror(err)}`;
  }
  const why = await checkOpenedFile(path, await fh.stat());
  if (why === null) return fh;
  await fh.close();
  return why;
}

async function checkOpenedFile(path: string, st: Stats): Promise<string | null> {
  if (st.nlink !== 1) return `file has ${st.nlink} hard links`;
  if (st.isDirectory()) return 'file is a directory';
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    return `file status changed unexpectedly: ${strerror(err)}`;
  }
  if (link.isSymbolicLink()) {
    if (link.uid === 0) {
      const parent = await stat(dirname(path)).catch(() => null);
      if (parent !== null && parent.uid === 0 && (parent.mode & 0o022) === 0) return null;
    }
    return 'file is a symbolic link';
  }
  if (st.dev !== link.dev || st.ino !== link.ino || st.nlink !== link.nlink || st.mode !== link.mode) {
    return 'file status changed unexpectedly';
  }
  return null;
}

/** Write everything to a non-blocking descriptor, waiting out a full pipe up to timeout seconds. */
async function writeWithin(fh: FileHandle, data: Buffer, timeout: number): Promise<void> {
  const giveUp = Date.now() + timeout * 1000;
  let off = 0;
  while (off < data.length) {
    try {
      off += (await fh.write(data, off, data.length - off)).bytesWritten;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      if (timeout > 0 && Date.now() >= giveUp) throw Object.assign(new Error('write timed out'), { code: 'ETIMEDOUT' });
      await sleep(10);
    }
  }
}

/** Postfix: fifo_trigger(). 0 when the fifo was opened (the write may still fail), else -1. */
export async function fifoTrigger(service: string, request: string, timeout: number): Promise<number> {
  const myname = 'fifo_trigger';
  // With no reader, POSIX has a non-blocking open for writing fail at once (ENXIO).
  const fh = await safeOpenExisting(service, constants.O_WRONLY | constants.O_NONBLOCK);
  if (typeof fh === 'string') {
    if (msg.verbose) msg.info(`${myname}: open ${service}: ${fh}`);
    return -1;
  }
  try {
    await writeWithin(fh, Buffer.from(request, 'latin1'), timeout);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    if (msg.verbose) msg.warn(`${myname}: write ${service}: ${strerror(err)}`);
  }
  try {
    await fh.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    if (msg.verbose) msg.warn(`${myname}: close ${service}: ${strerror(err)}`);
  }
  return 0;
}
