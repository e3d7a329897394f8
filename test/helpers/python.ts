/*
 * python - a python3 process on the other side of a cross-process test.
 * The script talks in lines: the test sends commands on its stdin and reads replies from
 * its stdout; stderr is kept for the failure message. The process is killed when the test
 * ends, whatever happened.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ExecutionContext } from 'ava';

export class PythonPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private readonly waiters: Array<(line: string) => void> = [];
  private partial = '';
  private stderr = '';
  readonly exited: Promise<number | string>;

  constructor(t: ExecutionContext, script: string, args: string[] = [], opts: { stdio?: Array<'pipe' | number> } = {}) {
    const stdio = opts.stdio ?? ['pipe', 'pipe', 'pipe'];
    this.child = spawn('python3', ['-u', '-c', script, ...args], { stdio }) as ChildProcessWithoutNullStreams;
    this.child.stdout.setEncoding('latin1');
    this.child.stdout.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop()!;
      for (const line of parts) {
        const waiter = this.waiters.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
    this.child.stderr.setEncoding('latin1');
    this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        for (const waiter of this.waiters.splice(0)) waiter(`EXIT ${code ?? signal} ${this.stderr}`);
        resolve(code ?? signal ?? 'unknown');
      });
    });
    t.teardown(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The next line of output; "EXIT <status> <stderr>" once the process has ended. */
  line(): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return Promise.resolve(`EXIT ${this.child.exitCode ?? this.child.signalCode} ${this.stderr}`);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Ask and wait for the answer. */
  async ask(line: string): Promise<string> {
    this.send(line);
    return this.line();
  }
}
