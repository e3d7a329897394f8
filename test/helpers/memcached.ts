/*
 * memcached - a real memcached (Debian's package) on a loopback port for one test, with a
 * small client to seed and inspect it. The package is installed when missing (tests run as
 * root on a fresh machine); if that fails, the test fails with the reason. The server is
 * stopped when the test ends.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function haveMemcached(): boolean {
  return spawnSync('sh', ['-c', 'command -v memcached'], { stdio: 'ignore' }).status === 0;
}

/** Install Debian's memcached if it is not there; throws when that is impossible. */
export function ensureMemcached(): void {
  if (haveMemcached()) return;
  if (process.getuid?.() !== 0) throw new Error('memcached is not installed, and installing it needs root');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', 'memcached'], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { env, stdio: 'ignore' });
    result = install();
  }
  if (result.status !== 0 || !haveMemcached()) {
    throw new Error(`cannot install memcached (apt-get install memcached): ${result.stderr ?? ''}${result.error?.message ?? ''}`);
  }
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.on('error', () => resolve(false));
  });
}

export interface Memcached {
  port: number;
  /** "inet:127.0.0.1:port", as memcache_table(5) wants it. */
  endpoint: string;
  /** Send raw protocol text; resolves with the reply once it ends with one of the given lines. */
  command(text: string, ends?: RegExp): Promise<string>;
  set(key: string, value: string, flags?: number): Promise<void>;
  get(key: string): Promise<string | null>;
  flushAll(): Promise<void>;
  /** Stop the server now (for "server down" cases); teardown does it otherwise. */
  stop(): Promise<void>;
}

const REPLY_END = /(^|\r\n)(END|STORED|NOT_STORED|DELETED|NOT_FOUND|OK|ERROR|CLIENT_ERROR [^\r]*|SERVER_ERROR [^\r]*)\r\n$/;

/** Start memcached on a free loopback port. */
export async function startMemcached(t: ExecutionContext): Promise<Memcached> {
  ensureMemcached();
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '16', '-t', '1'];
    if (process.getuid?.() === 0) args.push('-u', 'nobody');
    const child = spawn('memcached', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    let exited = false;
    const gone = new Promise<void>((resolve) => child.on('exit', () => {
      exited = true;
      resolve();
    }));
    const stop = async () => {
      if (!exited) child.kill('SIGTERM');
      await gone;
    };
    t.teardown(stop);
    for (let i = 0; i < 200 && !exited && !(await canConnect(port)); i++) await sleep(50);
    if (exited || !(await canConnect(port))) {
      await stop();
      if (attempt < 3) continue; // the port was taken meanwhile
      throw new Error(`memcached did not start on 127.0.0.1:${port}: ${stderr}`);
    }
    const command = (text: string, ends = REPLY_END) => new Promise<string>((resolve, reject) => {
      const sock = createConnection({ host: '127.0.0.1', port }, () => sock.write(text, 'latin1'));
      let reply = '';
      sock.setEncoding('latin1');
      sock.on('data', (chunk: string) => {
        reply += chunk;
        if (ends.test(reply)) {
          sock.destroy();
          resolve(reply);
        }
      });
      sock.on('error', reject);
      sock.on('close', () => resolve(reply));
    });
    return {
      port,
      endpoint: `inet:127.0.0.1:${port}`,
      command,
      async set(key, value, flags = 0) {
        const reply = await command(`set ${key} ${flags} 0 ${Buffer.byteLength(value, 'latin1')}\r\n${value}\r\n`);
        if (reply !== 'STORED\r\n') throw new Error(`memcached set ${key}: ${reply}`);
      },
      async get(key) {
        const reply = await command(`get ${key}\r\n`);
        const m = /^VALUE \S+ \d+ (\d+)\r\n/.exec(reply);
        if (m === null) return null;
        return reply.slice(m[0].length, m[0].length + Number(m[1]));
      },
      async flushAll() {
        await command('flush_all\r\n');
      },
      stop,
    };
  }
}
