/*
 * setgid - install a program set-gid postdrop in a temp tree, and run things as nobody.
 * Tests of set-gid behaviour need both: the bit only takes effect when the real ids
 * differ from the file's group.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync } from 'node:fs';
import { getgrnam } from '../../src/util/mypwd.js';
import type { RunResult } from './diff.js';

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

/** Run argv (argv[0] is the executable) with exactly env, from /. */
export function runCommand(argv: readonly string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({
      stdout: Buffer.concat(out).toString('latin1'),
      stderr: Buffer.concat(err).toString('latin1'),
      status: code ?? signal ?? 'unknown',
    }));
  });
}
