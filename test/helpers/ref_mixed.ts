/*
 * ref_mixed - a private reference Postfix instance whose master runs some of OUR daemons
 * in place of its own: daemon_directory is a temp directory of symbolic links to the
 * reference daemons, with the chosen names pointing at our dist/libexec instead. The
 * instance logs to syslog, caught on a /dev/log of the test's own inside a private mount
 * namespace (as devlog.ts does), or through postlogd to maillog_file. The test that starts an instance stops it (master's whole process group).
 */
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { runReference, shellQuote } from './diff.js';
import { parseSyslog, type SyslogRecord } from './devlog.js';
import { instanceMainCf, makeInstanceLayout, NO_LOCAL_DELIVERY, writeInstanceConfig } from './instance_layout.js';
import { OUR_DAEMON_DIR, REF_DAEMON_DIR } from './paths.js';
import { NON_BLOCKING } from '../../src/util/poll_fd.js';
import { unixDgramListen, unixDgramRecv } from '../../src/util/unix_dgram_listen.js';

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

export interface MixedOptions {
  /** Daemon names to take from our build instead of the reference. */
  ours: readonly string[];
  /** Extra main.cf lines. */
  mainCf: readonly string[];
  /** master.cf lines (chroot n everywhere). */
  masterCf: readonly string[];
  /** Extra files in the configuration directory (transport tables ...). */
  files?: Record<string, string>;
  /**
   * Log through postlogd to maillog_file (the caller's master.cf must have the postlog
   * service) instead of syslog.
   */
  maillog?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MixedInstance {
  readonly dir: string;
  readonly config: string;
  readonly spool: string;
  private readonly logSock: number;
  private readonly records: SyslogRecord[] = [];

  private readonly maillog: boolean;

  constructor(private readonly t: ExecutionContext, opts: MixedOptions) {
    this.maillog = opts.maillog ?? false;
    const layout = makeInstanceLayout(t, 'pf-mixed-');
    this.dir = layout.dir;
    this.config = layout.config;
    this.spool = layout.spool;
    const daemons = join(this.dir, 'libexec');
    const dev = join(this.dir, 'dev');
    for (const d of [daemons, dev]) mkdirSync(d);
    chmodSync(daemons, 0o755);
    chmodSync(dev, 0o755);

    // Reference daemons by default; ours where asked.
    for (const name of readdirSync(REF_DAEMON_DIR)) {
      if (!opts.ours.includes(name)) symlinkSync(join(REF_DAEMON_DIR, name), join(daemons, name));
    }
    for (const name of opts.ours) {
      if (!existsSync(join(OUR_DAEMON_DIR, name))) throw new Error(`${name} is missing from ${OUR_DAEMON_DIR}: npm run build`);
      symlinkSync(join(OUR_DAEMON_DIR, name), join(daemons, name));
    }

    writeInstanceConfig(layout, instanceMainCf(layout, [...NO_LOCAL_DELIVERY, ...opts.mainCf], {
      daemonDir: daemons,
      maillog: opts.maillog ? layout.maillog : null,
    }), opts.masterCf);
    for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(this.config, name), text, 'latin1');

    // Our /dev/log, seen only inside the master's mount namespace.
    for (const name of DEVICES) writeFileSync(join(dev, name), '');
    symlinkSync('/proc/self/fd', join(dev, 'fd'));
    this.logSock = unixDgramListen(join(dev, 'log'), NON_BLOCKING);
    t.teardown(() => closeSync(this.logSock));
  }

  /** Start master in the foreground (-d) and wait until pickup's socket appears. */
  async start(): Promise<void> {
    const dev = join(this.dir, 'dev');
    const binds = DEVICES.map((name) => `mount --bind /dev/${name} ${shellQuote(join(dev, name))}`);
    const script = `${binds.join(' && ')} && mount --rbind ${shellQuote(dev)} /dev && exec "$0" "$@"`;
    const master = spawn('unshare', ['-m', '/bin/sh', '-c', script, join(REF_DAEMON_DIR, 'master'), '-c', this.config, '-d'], {
      detached: true, stdio: 'ignore', cwd: '/',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', TZ: 'UTC' },
    });
    const exited = new Promise((resolve) => master.on('close', resolve));
    this.t.teardown(async () => {
      if (master.pid === undefined) return;
      try {
        process.kill(master.pid, 'SIGTERM'); // master takes its process group with it
      } catch {
        return;
      }
      await Promise.race([exited, sleep(10_000)]);
      try {
        process.kill(-master.pid, 'SIGKILL');
      } catch {
        // all gone
      }
    });
    for (let i = 0; i < 300 && !existsSync(join(this.spool, 'public', 'pickup')); i++) await sleep(100);
    if (!existsSync(join(this.spool, 'public', 'pickup'))) {
      throw new Error(`reference master did not start:\n${this.log().map((r) => `${r.tag}: ${r.text}`).join('\n')}`);
    }
  }

  /** Every log record so far, oldest first (maillog_file lines in the same shape). */
  log(): SyslogRecord[] {
    if (this.maillog) return this.maillogRecords();
    for (let d = unixDgramRecv(this.logSock, 65536); d !== null; d = unixDgramRecv(this.logSock, 65536)) {
      this.records.push(parseSyslog(d.toString('latin1')));
    }
    return this.records;
  }

  /* "Mmm dd hh:mm:ss host tag[pid]: text" lines of maillog_file. */
  private maillogRecords(): SyslogRecord[] {
    let text: string;
    try {
      text = readFileSync(join(this.dir, 'maillog'), 'latin1');
    } catch {
      return [];
    }
    return text.split('\n').filter((l) => l !== '').map((line) => {
      const m = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ (.*?)(?:\[(\d+)\])?: (.*)$/s.exec(line);
      if (m === null) return { priority: -1, tag: 'UNPARSED', pid: null, text: line };
      return { priority: -1, tag: m[1]!, pid: m[2] === undefined ? null : Number(m[2]), text: m[3]! };
    });
  }

  /** Poll the log until cond holds; false on timeout. */
  async waitLog(cond: (records: SyslogRecord[]) => boolean, timeoutMs = 90_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!cond(this.log())) {
      if (Date.now() > deadline) return false;
      await sleep(200);
    }
    return true;
  }

  /** Submit one message with the reference sendmail. */
  async sendmail(args: readonly string[], text: string): Promise<void> {
    const sent = await runReference('sendmail', ['-C', this.config, ...args], {
      input: Buffer.from(text, 'latin1'), env: { MAIL_CONFIG: this.config },
    });
    if (sent.status !== 0) throw new Error(`sendmail ${args.join(' ')}: ${sent.status} ${sent.stderr}`);
  }

  /** Queue file names under a queue directory (hashed subdirectories included). */
  queueFiles(queue: string): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else found.push(entry.name);
      }
    };
    walk(join(this.spool, queue));
    return found.sort();
  }
}
