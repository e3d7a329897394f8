/*
 * run - run a command line with exactly the given environment and collect what it says.
 * For tests that build their own wrapping (namespaces, other users) around a program;
 * diff.ts has the richer runProgram for plain differential runs.
 */
import { spawn } from 'node:child_process';
import type { RunResult } from './diff.js';

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
