/*
 * postfix_find - the parts of find(1), cmp(1) and the shell that "postfix check" relies on.
 * No Postfix counterpart: conf/postfix-script runs GNU find over the installation and warns
 * per file. We walk the trees ourselves, in the same order (pre-order, directory entries in
 * readdir order), with the same path spelling and the same complaints on standard error.
 */
import { accessSync, constants as fsConstants, lstatSync, opendirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { writeAll } from '../util/vstream.js';
import { strerror } from '../util/strerror.js';

/** How coreutils and findutils quote a file name in a diagnostic, by locale. */
export function quoteName(name: string): string {
  const locale = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  if (/utf-?8/i.test(locale)) return `\u00e2\u0080\u0098${name}\u00e2\u0080\u0099`; // U+2018/U+2019 as UTF-8 bytes
  return `'${name}'`;
}

/** Write a line to standard error as a tool would (byte string). */
export function toolError(text: string): void {
  writeAll(2, Buffer.from(`${text}\n`, 'latin1'));
}

export interface FindOptions {
  /** find -L: follow symbolic links (a dangling link is reported as the link itself). */
  follow?: boolean;
  /** -prune: do not descend below the starting points. */
  prune?: boolean;
}

export type FindVisitor = (path: string, st: Stats) => void;

function statOf(path: string, follow: boolean): Stats {
  if (!follow) return lstatSync(path);
  try {
    return statSync(path);
  } catch (err) {
    const st = lstatSync(path); // dangling link: report the link
    if (!st.isSymbolicLink()) throw err;
    return st;
  }
}

/** The names in a directory, in the order the file system returns them (as find sees them). */
export function readdirRaw(path: string): string[] {
  const dir = opendirSync(path);
  const names: string[] = [];
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) names.push(entry.name);
  } finally {
    dir.closeSync();
  }
  return names;
}

/**
 * find roots... with a visitor called for each file, depth first, parents before their
 * contents. Returns find's exit status (1 when something could not be visited).
 */
export function find(roots: readonly string[], opts: FindOptions, visit: FindVisitor): number {
  let status = 0;
  const walk = (path: string, top: boolean): void => {
    let st: Stats;
    try {
      st = statOf(path, opts.follow === true);
    } catch (err) {
      toolError(`find: ${quoteName(path)}: ${strerror(err)}`);
      status = 1;
      return;
    }
    visit(path, st);
    if (!st.isDirectory() || (top && opts.prune)) return;
    let names: string[];
    try {
      names = readdirRaw(path);
    } catch (err) {
      toolError(`find: ${quoteName(path)}: ${strerror(err)}`);
      status = 1;
      return;
    }
    for (const name of names) walk(path.endsWith('/') ? `${path}${name}` : `${path}/${name}`, false);
  };
  for (const root of roots) walk(root, true);
  return status;
}

/** find's -perm -020 -o -perm -002. */
export function groupOrOtherWritable(st: Stats): boolean {
  return (st.mode & 0o022) !== 0;
}

/** cmp -s: true when both files can be read and are equal. */
export function sameContent(a: string, b: string): boolean {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

/** test -f. */
export function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** test -d. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** test -r. */
export function isReadable(path: string): boolean {
  try {
    accessSync(path, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Shell field splitting with the default IFS. */
export function shellWords(text: string): string[] {
  return text.split(/[ \t\n]+/).filter((w) => w !== '');
}
