/*
 * setgid - install a program set-gid postdrop in a temp tree, and run things as nobody.
 * Tests of set-gid behaviour need both: the bit only takes effect when the real ids
 * differ from the file's group.
 */
import { chmodSync, chownSync, copyFileSync } from 'node:fs';
import { getgrnam } from '../../src/util/mypwd.js';

/** Copy src to dest, group postdrop, mode 2755 (or 0755 when setgid is false). */
export function installSetgid(src: string, dest: string, setgid = true): void {
  copyFileSync(src, dest);
  if (setgid) {
    chownSync(dest, 0, getgrnam('postdrop')!.gr_gid);
    chmodSync(dest, 0o2755); // after chown, which clears the set-gid bit
  } else {
    chmodSync(dest, 0o755);
  }
}

/** The command line that runs argv as nobody:nogroup without supplementary groups. */
export function asNobody(argv: readonly string[]): string[] {
  return ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...argv];
}
