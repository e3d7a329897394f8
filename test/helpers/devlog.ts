/*
 * devlog - catch what programs send to syslog: a UNIX datagram socket of the test's own
 * is mounted over /dev/log in a private mount namespace (unshare -m) that the program
 * runs in. The namespace gets a /dev of its own (a bind of a temp directory holding the
 * socket and the usual device nodes); the real /dev is never changed.
 */
import { chmodSync, closeSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { NON_BLOCKING } from '../../src/util/poll_fd.js';
import { unixDgramListen, unixDgramRecv } from '../../src/util/unix_dgram_listen.js';
import { shellQuote, tempDir, type RunResult } from './diff.js';
import { runCommand } from './run.js';

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

export interface SyslogRecord {
  priority: number;
  tag: string; // what precedes the first ": ", less a trailing "[pid]"
  pid: number | null;
  text: string;
}

/** "<pri>Mmm dd hh:mm:ss tag[pid]: text", as glibc's syslog() sends it. */
export function parseSyslog(datagram: string): SyslogRecord {
  const m = /^<(\d+)>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (.*?)(?:\[(\d+)\])?: (.*)$/s.exec(datagram);
  if (m === null) throw new Error(`not a syslog record: ${JSON.stringify(datagram)}`);
  return { priority: Number(m[1]), tag: m[2]!, pid: m[3] === undefined ? null : Number(m[3]), text: m[4]! };
}

export class DevLog {
  private readonly dev: string;
  private readonly sock: number;

  constructor(t: ExecutionContext) {
    this.dev = join(tempDir(t, 'pf-devlog-'), 'dev');
    mkdirSync(this.dev);
    chmodSync(this.dev, 0o755); // programs that dropped privileges still reach /dev/null
    for (const name of DEVICES) writeFileSync(join(this.dev, name), '');
    symlinkSync('/proc/self/fd', join(this.dev, 'fd'));
    this.sock = unixDgramListen(join(this.dev, 'log'), NON_BLOCKING);
    t.teardown(() => closeSync(this.sock));
  }

  /** Run a command with our socket as /dev/log. */
  run(path: string, args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
    const binds = DEVICES.map((name) => `mount --bind /dev/${name} ${shellQuote(join(this.dev, name))}`);
    const script = `${binds.join(' && ')} && mount --rbind ${shellQuote(this.dev)} /dev && exec "$0" "$@"`;
    return runCommand(['unshare', '-m', '/bin/sh', '-c', script, path, ...args], {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', TZ: 'UTC', ...env,
    });
  }

  /** The datagrams received so far, oldest first. */
  datagrams(): string[] {
    const all: string[] = [];
    for (let d = unixDgramRecv(this.sock, 65536); d !== null; d = unixDgramRecv(this.sock, 65536)) {
      all.push(d.toString('latin1'));
    }
    return all;
  }

  records(): SyslogRecord[] {
    return this.datagrams().map(parseSyslog);
  }
}
