/*
 * fake_master - start a daemon the way master(8) does, without master: descriptors 3 and
 * 4 a flow-control pipe, 5 a status socketpair whose other end the test reads, 6 the listen
 * socket (unix, inet, fifo, pass or unix-dgram), GENERATION in octal, MAIL_CONFIG, a queue
 * directory with pid/. The test reads the 12-byte status records, talks to the endpoint,
 * and can play "master went away" by closing its end of the status channel.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, openSync, readFileSync, constants as fsConstants, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import koffi from 'koffi';
import type { ExecutionContext } from 'ava';
import { tempDir } from './diff.js';
import { decodeMasterStatus, MASTER_STATUS_SIZE, type MasterStatus } from '../../src/master/master_proto.js';
import { duplexPipe } from '../../src/util/duplex_pipe.js';
import { unixDgramListen } from '../../src/util/unix_dgram_listen.js';
import { NON_BLOCKING, nonBlocking } from '../../src/util/poll_fd.js';
import { check, libc, sockaddrUn, AF_INET, AF_UNIX, SOCK_STREAM } from '../../src/util/sys_libc.js';

const native = (() => {
  const lib = koffi.load('libc.so.6');
  return {
    pipe2: lib.func('int pipe2(void *fds, int flags)'),
    listen: lib.func('int listen(int fd, int backlog)'),
    getsockname: lib.func('int getsockname(int fd, void *addr, void *len)'),
  };
})();

export type Transport = 'unix' | 'inet' | 'fifo' | 'pass' | 'unix-dgram';

export interface FakeMasterOptions {
  /** The executable; a .js file runs under this node with POSTFIX_TS_ARGV0 = argv0. */
  program: string;
  argv0: string;
  /** Daemon arguments after argv[0] (e.g. -t unix -n name); -t is added from transport. */
  args?: string[];
  transport: Transport;
  /** Service name: the endpoint is private/<name> (unix, pass), public/<name> (fifo). */
  service?: string;
  /** Extra main.cf lines. */
  mainCf?: string[];
  env?: Record<string, string>;
  generation?: number;
  /** Use an existing configuration and queue (another FakeMaster's) instead of new ones. */
  shareWith?: FakeMaster;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll for a condition; false if it did not come true before the deadline. */
export async function waitFor(cond: () => boolean, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** A configuration directory and queue directory for daemons under test. */
export function skeletonConfig(t: ExecutionContext, extra: string[] = []): { dir: string; config: string; spool: string } {
  const dir = tempDir(t, 'pf-skel-');
  chmodSync(dir, 0o755);
  const config = join(dir, 'etc');
  const spool = join(dir, 'spool');
  mkdirSync(config);
  for (const sub of ['', 'pid', 'private', 'public']) mkdirSync(join(spool, sub), { recursive: true });
  writeFileSync(join(config, 'main.cf'), [
    'compatibility_level = 3.6',
    `queue_directory = ${spool}`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    'myhostname = mail.example.test',
    ...extra,
    '',
  ].join('\n'));
  return { dir, config, spool };
}

export class FakeMaster {
  readonly dir: string;
  readonly config: string;
  readonly spool: string;
  /** unix/fifo/pass/unix-dgram: the socket or FIFO path; inet: "127.0.0.1:port". */
  readonly endpoint: string;
  readonly port: number = 0;
  readonly statuses: MasterStatus[] = [];
  stdout = '';
  stderr = '';
  exit: { code: number | null; signal: string | null } | null = null;
  readonly exited: Promise<void>;
  readonly child: ChildProcess;
  private statusSock: Socket | null;
  private readonly statusChild: number;
  private readonly flow: [number, number];
  private readonly listenFd: number;
  private partial = Buffer.alloc(0);

  constructor(t: ExecutionContext, opts: FakeMasterOptions) {
    const shared = opts.shareWith;
    const cfg = shared ? { dir: shared.dir, config: shared.config, spool: shared.spool } : skeletonConfig(t, opts.mainCf);
    this.dir = cfg.dir;
    this.config = cfg.config;
    this.spool = cfg.spool;
    const service = opts.service ?? opts.argv0;
    // The listen endpoint, as master_listen.c makes it.
    if (shared) {
      this.endpoint = shared.endpoint;
      this.port = shared.port;
      this.listenFd = shared.listenFd;
      this.flow = shared.flow;
    } else {
      const made = makeListener(cfg.spool, opts.transport, service);
      this.endpoint = made.endpoint;
      this.port = made.port;
      this.listenFd = made.fd;
      const fds = Buffer.alloc(8);
      check(native.pipe2(fds, fsConstants.O_NONBLOCK | 0o2000000) as number, 'pipe2');
      this.flow = [fds.readInt32LE(0), fds.readInt32LE(4)];
      t.teardown(() => {
        for (const fd of [this.listenFd, ...this.flow]) libc().close(fd);
      });
    }
    const [parentEnd, childEnd] = duplexPipe();
    this.statusChild = childEnd;
    const args = ['-t', opts.transport, ...(opts.args ?? [])];
    const isScript = opts.program.endsWith('.js');
    const file = isScript ? process.execPath : opts.program;
    const argv = isScript ? [opts.program, ...args] : args;
    const env: Record<string, string> = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', TZ: 'UTC', MAIL_CONFIG: cfg.config,
      GENERATION: (opts.generation ?? 0o17).toString(8), ...(isScript ? { POSTFIX_TS_ARGV0: opts.argv0 } : {}),
      ...opts.env,
    };
    this.child = spawn(file, argv, {
      argv0: opts.argv0, env, cwd: cfg.spool, detached: true,
      stdio: ['pipe', 'pipe', 'pipe', this.flow[0], this.flow[1], childEnd, this.listenFd],
    });
    this.child.stdin!.on('error', () => undefined);
    this.child.stdout!.setEncoding('latin1').on('data', (s: string) => (this.stdout += s));
    this.child.stderr!.setEncoding('latin1').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => {
      this.exit = { code, signal };
      resolve();
    }));
    this.statusSock = new Socket({ fd: parentEnd, readable: true, writable: false });
    this.statusSock.on('data', (chunk: Buffer) => {
      this.partial = Buffer.concat([this.partial, chunk]);
      while (this.partial.length >= MASTER_STATUS_SIZE) {
        this.statuses.push(decodeMasterStatus(this.partial.subarray(0, MASTER_STATUS_SIZE))!);
        this.partial = this.partial.subarray(MASTER_STATUS_SIZE);
      }
    });
    this.statusSock.on('error', () => undefined);
    t.teardown(async () => {
      if (this.exit === null && this.child.pid !== undefined) {
        try {
          process.kill(-this.child.pid, 'SIGKILL');
        } catch {
          // gone already
        }
        await this.exited;
      }
      this.statusSock?.destroy();
      libc().close(this.statusChild);
    });
  }

  /** The availability values received so far (0 taken, 1 available). */
  get avail(): number[] {
    return this.statuses.map((s) => s.avail);
  }

  /** Wait until at least n status records arrived. */
  waitStatuses(n: number, timeoutMs = 30_000): Promise<boolean> {
    return waitFor(() => this.statuses.length >= n, timeoutMs);
  }

  /** Wait for the process to exit; false on timeout. */
  async waitExit(timeoutMs = 30_000): Promise<boolean> {
    return Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  }

  /** Master goes away: close our end of the status channel (and our copy of the child's). */
  disconnect(): void {
    this.statusSock?.destroy();
    this.statusSock = null;
  }
}

function makeListener(spool: string, transport: Transport, service: string): { fd: number; endpoint: string; port: number } {
  const c = libc();
  switch (transport) {
    case 'unix':
    case 'pass': {
      const path = join(spool, 'private', service);
      const fd = check(c.socket(AF_UNIX, SOCK_STREAM | 0o2000000, 0), 'socket');
      check(c.bind(fd, sockaddrUn(path), 110), 'bind');
      check(native.listen(fd, 100) as number, 'listen');
      nonBlocking(fd, NON_BLOCKING);
      return { fd, endpoint: path, port: 0 };
    }
    case 'inet': {
      const fd = check(c.socket(AF_INET, SOCK_STREAM | 0o2000000, 0), 'socket');
      const addr = Buffer.alloc(16);
      addr.writeUInt16LE(AF_INET, 0);
      addr.writeUInt32BE(0x7f000001, 4);
      check(c.bind(fd, addr, 16), 'bind');
      check(native.listen(fd, 100) as number, 'listen');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(16, 0);
      check(native.getsockname(fd, addr, len) as number, 'getsockname');
      const port = addr.readUInt16BE(2);
      nonBlocking(fd, NON_BLOCKING);
      return { fd, endpoint: `127.0.0.1:${port}`, port };
    }
    case 'fifo': {
      const path = join(spool, 'public', service);
      execFileSync('mkfifo', ['-m', '0622', path]);
      const fd = openSync(path, fsConstants.O_RDWR | fsConstants.O_NONBLOCK);
      return { fd, endpoint: path, port: 0 };
    }
    case 'unix-dgram': {
      const path = join(spool, 'public', service);
      const fd = unixDgramListen(path, NON_BLOCKING);
      return { fd, endpoint: path, port: 0 };
    }
  }
}

/** Connect to a unix socket path or "host:port". */
export function connectTo(endpoint: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(endpoint);
    const sock = m ? new Socket().connect(Number(m[2]), m[1]!) : new Socket().connect(endpoint);
    sock.once('connect', () => resolve(sock));
    sock.once('error', reject);
  });
}

/** Read from a socket until it has n lines (or ends); the text so far. */
export function readLines(sock: Socket, n: number, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      sock.off('data', onData);
      resolve(text);
    };
    const onData = (b: Buffer) => {
      text += b.toString('latin1');
      if (text.split('\n').length > n) done();
    };
    const timer = setTimeout(done, timeoutMs);
    sock.on('data', onData);
    sock.once('end', done);
    sock.once('close', done);
  });
}

/** One request on a fresh connection: send a line, read one line, close. */
export async function requestLine(endpoint: string, line: string): Promise<string> {
  const sock = await connectTo(endpoint);
  const reply = readLines(sock, 1);
  sock.write(`${line}\n`);
  const text = await reply;
  sock.destroy();
  return text;
}

/** The lines of a file, [] while it does not exist. */
export function fileLines(file: string): string[] {
  try {
    return readFileSync(file, 'latin1').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}
