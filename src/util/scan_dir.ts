/*
 * scan_dir - walk a directory tree one level at a time, in the order readdir() returns.
 * Counterpart: postfix/src/util/scan_dir.c. Entries come from opendir()/readdir() (not
 * sorted), read lazily, so that files renamed during a scan behave as they do in Postfix.
 */
import { opendirSync, type Dir } from 'node:fs';
import { msg } from './msg.js';
import { strerror } from './strerror.js';

interface Level {
  path: string;
  dir: Dir;
}

export class ScanDir {
  private levels: Level[] = [];

  /** Postfix: scan_dir_open(). */
  constructor(path: string) {
    this.push(path, true);
  }

  /** Postfix: scan_dir_path(): the directory being read now. */
  get path(): string {
    return this.levels[this.levels.length - 1]?.path ?? '';
  }

  /** Postfix: scan_dir_push(): descend into a subdirectory of the current one. */
  push(name: string, top = false): void {
    const path = top ? name : `${this.path}/${name}`;
    let dir: Dir;
    try {
      dir = opendirSync(path, { bufferSize: 1024 });
    } catch (err) {
      msg.fatal(`scan_dir_push: open directory ${path}: ${strerror(err)}`);
    }
    if (msg.verbose > 1) msg.info(`scan_dir_push: open ${path}`);
    this.levels.push({ path, dir });
  }

  /** Postfix: scan_dir_pop(): back to the parent; false at the top. */
  pop(): boolean {
    const level = this.levels.pop();
    if (level === undefined) return false;
    level.dir.closeSync();
    if (msg.verbose > 1) msg.info(`scan_dir_pop: close ${level.path}`);
    return this.levels.length > 0;
  }

  /** Postfix: scan_dir_next(): the next name other than "." and "..", or null. */
  next(): string | null {
    const level = this.levels[this.levels.length - 1];
    if (level === undefined) return null;
    for (let entry = level.dir.readSync(); entry !== null; entry = level.dir.readSync()) {
      if (entry.name === '.' || entry.name === '..') continue;
      return entry.name;
    }
    return null;
  }

  /** Postfix: scan_dir_close(). */
  close(): void {
    while (this.levels.length > 0) this.pop();
  }
}
