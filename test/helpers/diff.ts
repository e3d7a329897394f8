/*
 * diff - run our program and the reference Postfix on the same input and compare.
 * Each run gives { stdout, stderr, status } (stdout and stderr as byte strings, latin1).
 * Options cover what Postfix programs look at: argv[0], the environment, the current
 * directory, standard input, a terminal on standard error (isatty decides where some
 * commands report), and a private /etc for programs that only work with the default
 * configuration directory /etc/postfix.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { ourCommand, referenceCommand } from './paths.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | string; // exit status, or the signal name
}

export interface RunOptions {
  /** argv[0] as the program sees it; default: the command name. */
  argv0?: string;
  /** Added to (or, with undefined, removed from) a minimal environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string | Buffer;
  /** Run with a pseudo-terminal on stdin/stdout/stderr (output then arrives merged on stdout). */
  tty?: boolean;
  /** Files to place under /etc in a private mount namespace (an overlay on the real /etc). */
  privateEtc?: Record<string, string>;
  timeoutMs?: number;
}

const BASE_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', TZ: 'UTC' };

export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Run an executable with the options above. */
export async function runProgram(path: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string> = { ...BASE_ENV };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const argv0 = opts.argv0 ?? path.slice(path.lastIndexOf('/') + 1);
  let file = path;
  let argv: string[] = [...args];
  let spawnArgv0 = argv0;
  let scratch: string | undefined;
  // Wrapping layers, innermost first: exec -a keeps argv[0] through the shells.
  let shellCommand = `exec -a ${shellQuote(argv0)} ${[path, ...args].map(shellQuote).join(' ')}`;
  if (opts.privateEtc !== undefined) {
    scratch = mkdtempSync(join(tmpdir(), 'pf-etc-'));
    const upper = join(scratch, 'upper');
    const work = join(scratch, 'work');
    mkdirSync(upper);
    mkdirSync(work);
    const placed: string[] = [];
    for (const [name, content] of Object.entries(opts.privateEtc)) {
      const staged = join(scratch, `staged-${placed.length}`);
      writeFileSync(staged, content, 'latin1');
      placed.push(`mkdir -p "$(dirname /etc/${name})" && cp ${shellQuote(staged)} ${shellQuote(`/etc/${name}`)}`);
    }
    shellCommand = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${shellQuote(upper)},workdir=${shellQuote(work)} /etc`
      + ` && ${placed.join(' && ')} && ${shellCommand}`;
  }
  if (opts.tty) {
    shellCommand = `exec script -qec ${shellQuote(shellCommand)} /dev/null`;
  }
  if (opts.privateEtc !== undefined) {
    file = 'unshare';
    argv = ['-m', '/bin/bash', '-c', shellCommand];
    spawnArgv0 = 'unshare';
  } else if (opts.tty) {
    file = '/bin/bash';
    argv = ['-c', shellCommand];
    spawnArgv0 = 'bash';
  }
  if (opts.tty) env.SHELL = '/bin/bash';
  try {
    return await new Promise<RunResult>((resolvePromise, reject) => {
      const child = spawn(file, argv, { argv0: spawnArgv0, env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolvePromise({
          stdout: Buffer.concat(out).toString('latin1'),
          stderr: Buffer.concat(err).toString('latin1'),
          status: code ?? signal ?? 'unknown',
        });
      });
      child.stdin.on('error', () => undefined); // the program may exit without reading
      child.stdin.end(opts.input ?? '');
    });
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Run our command by name. */
export function runOurs(name: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return runProgram(ourCommand(name), args, { argv0: name, ...opts });
}

/** Run the reference Postfix command by name. */
export function runReference(name: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return runProgram(referenceCommand(name), args, { argv0: name, ...opts });
}

/** Both, side by side, with the same options. */
export async function runBoth(name: string, args: readonly string[], opts: RunOptions = {}): Promise<[RunResult, RunResult]> {
  return Promise.all([runOurs(name, args, opts), runReference(name, args, opts)]);
}

/** A private directory removed when the test ends. */
export function tempDir(t: ExecutionContext, prefix = 'pf-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A private configuration directory with the given files (main.cf, master.cf ...). */
export function tempConfig(t: ExecutionContext, files: Record<string, string>): string {
  const dir = tempDir(t, 'pf-config-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, 'latin1');
  return dir;
}

/** Fail the test loudly when it needs root and does not have it (CI runs as root). */
export function requireRoot(t: ExecutionContext): boolean {
  if (process.getuid?.() === 0) return true;
  t.fail('this test needs root: the reference Postfix commands it runs refuse other users');
  return false;
}
