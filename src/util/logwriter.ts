/*
 * logwriter - append log records to maillog_file, one line per record.
 * Counterpart: postfix/src/util/logwriter.c. The file is opened with safe_open() (created
 * mode 0644, no hard links, no symlinks unless root's), close-on-exec and append-only.
 * Each record is written with its newline in one write(), as a flushed VSTREAM does.
 */
import { closeSync, constants, writeSync } from 'node:fs';
import { msg } from './msg.js';
import { safeOpen } from './safe_open.js';

const { O_APPEND, O_CREAT, O_WRONLY } = constants;

/** Postfix: logwriter_open_or_die(). Returns the descriptor. */
export function logwriterOpenOrDie(path: string): number {
  const r = safeOpen(path, O_CREAT | O_WRONLY | O_APPEND, 0o644);
  if (r.fd === null) return msg.fatal(`open logfile '${path}': ${r.why}`);
  return r.fd;
}

/**
 * Postfix: logwriter_write(). Appends the record (a byte string or bytes) and a newline;
 * returns the error, if the write failed.
 */
export function logwriterWrite(fd: number, record: string | Buffer): NodeJS.ErrnoException | undefined {
  const body = typeof record === 'string' ? Buffer.from(record, 'latin1') : record;
  const line = Buffer.concat([body, Buffer.from('\n')]);
  try {
    for (let off = 0; off < line.length;) off += writeSync(fd, line, off, line.length - off);
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  return undefined;
}

/** Postfix: logwriter_close(). */
export function logwriterClose(fd: number): NodeJS.ErrnoException | undefined {
  try {
    closeSync(fd);
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  return undefined;
}

/** Postfix: logwriter_one_shot(): open, append one record, close. */
export function logwriterOneShot(path: string, record: string | Buffer): NodeJS.ErrnoException | undefined {
  const fd = logwriterOpenOrDie(path);
  const err = logwriterWrite(fd, record);
  return logwriterClose(fd) ?? err;
}
