/*
 * tcp: and socketmap: tables through "postmap -q", ours against the reference, talking to
 * servers that this test runs on loopback: found, not found, temporary and permanent
 * errors, malformed and oversized replies, and servers that hang up or are not there.
 */
import test, { type ExecutionContext } from 'ava';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { requireRoot } from '../helpers/diff.js';
import { sameResult, tableDir } from './_tables.js';

/** A loopback server, closed when the test ends; returns its port. */
async function serve(t: ExecutionContext, onData: (sock: Socket, data: Buffer) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      onData(sock, pending);
      pending = Buffer.alloc(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const sock of sockets) sock.destroy();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

/* tcp_table(5) server: the reply depends on the (quoted) key. */
const TCP_REPLIES: Record<string, string> = {
  found: '200 value%20with%20spaces%2C%20commas',
  missing: '500 no such key',
  soft: '400 try again later',
  malformed: 'abc',
  badcode: '300 what is this',
  badhex: '200 %zz',
  nul: '200 before%00after',
  long: `200 ${'x'.repeat(5000)}`,
  '\xe9t\xe9': '200 eight%20bit',
};

test('tcp: replies of every kind', async (t) => {
  if (!requireRoot(t)) return;
  const port = await serve(t, (sock, data) => {
    for (const line of data.toString('latin1').split('\n').filter((l) => l !== '')) {
      const key = line.replace(/^get /, '');
      if (key === 'partial') {
        sock.end('200 no newline');
        return;
      }
      sock.write(`${TCP_REPLIES[key] ?? `200 echo:${key}`}\n`, 'latin1');
    }
  });
  const tables = tableDir(t);
  const map = `tcp:127.0.0.1:${port}`;
  await sameResult(t, tables, 'postmap', ['-q', '-', map], { input: 'found\nmissing\nFOUND\nwith space\n%percent\n\xe9t\xe9\nnul\n' });
  for (const key of ['found', 'missing', 'soft', 'malformed', 'badcode', 'badhex', 'long', 'anything', 'partial']) {
    await sameResult(t, tables, 'postmap', ['-q', key, map]);
  }
  await sameResult(t, tables, 'postmap', ['-s', map]);
  await sameResult(t, tables, 'postmap', ['-d', 'x', map]);
});

test('tcp: no server, and bad server names', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  const port = await serve(t, () => undefined);
  await sameResult(t, tables, 'postmap', ['-q', 'x', `tcp:127.0.0.1:${port + 0}x`]);
  await sameResult(t, tables, 'postmap', ['-q', 'x', 'tcp:[127.0.0.1:25']);
  await sameResult(t, tables, 'postmap', ['-q', 'x', 'tcp:127.0.0.1:1'], { timeoutMs: 60_000 });
});

/* Socketmap server: netstring requests "name key", replies by key. */
const SOCKMAP_REPLIES: Record<string, string> = {
  found: 'OK the value',
  missing: 'NOTFOUND ',
  temp: 'TEMP server busy',
  timeout: 'TIMEOUT',
  perm: 'PERM   no such map',
  weird: 'MAYBE so',
  bare: 'OK',
  empty: 'OK ',
};

function netstring(text: string): string {
  return `${Buffer.byteLength(text, 'latin1')}:${text},`;
}

test('socketmap: replies of every kind', async (t) => {
  if (!requireRoot(t)) return;
  const port = await serve(t, (sock, data) => {
    let text = data.toString('latin1');
    while (text !== '') {
      const m = /^(\d+):/.exec(text);
      if (!m) return;
      const len = Number(m[1]);
      const request = text.slice(m[0].length, m[0].length + len);
      text = text.slice(m[0].length + len + 1);
      const key = request.slice(request.indexOf(' ') + 1);
      if (key === 'hangup') {
        sock.destroy();
        return;
      }
      if (key === 'garbage') {
        sock.write('xyz,');
        continue;
      }
      if (key === 'huge') {
        sock.write(netstring(`OK ${'y'.repeat(100001)}`), 'latin1');
        continue;
      }
      sock.write(netstring(SOCKMAP_REPLIES[key] ?? `OK ${request}`), 'latin1');
    }
  });
  const tables = tableDir(t);
  const map = `socketmap:inet:127.0.0.1:${port}:mymap`;
  await sameResult(t, tables, 'postmap', ['-q', '-', map], { input: 'found\nmissing\nFOUND\nanything at all\n\xe9t\xe9\n' });
  for (const key of ['found', 'missing', 'temp', 'timeout', 'perm', 'weird', 'bare', 'empty', 'garbage', 'huge', 'hangup']) {
    await sameResult(t, tables, 'postmap', ['-q', key, map]);
  }
  await sameResult(t, tables, 'postmap', ['-q', '-', map], { input: 'found\nhangup\nfound\n' });
  await sameResult(t, tables, 'postmap', ['-q', '-', map, `socketmap:inet:127.0.0.1:${port}:other`], { input: 'missing\nx\n' });
});

test('socketmap: no server, and bad map names', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  for (const spec of ['socketmap:inet:127.0.0.1:1:map', 'socketmap:unix:/nonexistent/socket:map', 'socketmap:nomap',
    'socketmap:bogus:x:map', 'socketmap:inet::map', 'socketmap:inet:127.0.0.1:1:map']) {
    await sameResult(t, tables, 'postmap', ['-q', 'x', spec]);
  }
  await sameResult(t, tables, 'postmap', ['-d', 'x', 'socketmap:inet:127.0.0.1:1:map']);
});
