/*
 * memcache: tables through "postmap -q/-d/-s", ours against the reference, both talking
 * to the same real memcached on loopback (Debian's package, installed when missing), or
 * to a loopback server that misbehaves on purpose. Runs that change the cache go one
 * after the other, each on a freshly seeded cache, and the cache is compared afterwards.
 */
import test, { type ExecutionContext } from 'ava';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference, type RunResult } from '../helpers/diff.js';
import { type Memcached, startMemcached } from '../helpers/memcached.js';
import { sameResult, tableDir, type TableDir } from './_tables.js';

/** Run ours and the reference one after the other, each after prepare(); compare results and after(). */
async function sequential(t: ExecutionContext, tables: TableDir, args: string[], prepare: () => Promise<void>,
  after: () => Promise<unknown> = async () => undefined, input?: string): Promise<RunResult> {
  const outcome: unknown[] = [];
  const results: RunResult[] = [];
  for (const run of [runReference, runOurs]) {
    await prepare();
    results.push(await run('postmap', ['-c', tables.dir, ...args], { cwd: tables.dir, input }));
    outcome.push(await after());
  }
  t.deepEqual(results[1], results[0], `postmap ${args.join(' ')}`);
  t.deepEqual(outcome[1], outcome[0], `postmap ${args.join(' ')}: state afterwards`);
  return results[0]!;
}

async function seed(mc: Memcached, entries: Record<string, string>): Promise<void> {
  await mc.flushAll();
  for (const [key, value] of Object.entries(entries)) await mc.set(key, value);
}

const ENTRIES = {
  foo: 'bar',
  'user@example.com': 'local user',
  eight: 'caf\xe9 \xfc',
  empty: '',
  'k-joe': 'from key_format %u',
  'd-example.com': 'domain part',
  'p-example-com': 'labels',
};

test('memcache: lookups, misses, case folding and keys that cannot be sent', async (t) => {
  if (!requireRoot(t)) return;
  const mc = await startMemcached(t);
  await seed(mc, ENTRIES);
  const tables = tableDir(t);
  tables.file('mc.cf', `memcache = ${mc.endpoint}\n`);
  const map = `memcache:${join(tables.dir, 'mc.cf')}`;
  for (const key of ['foo', 'FOO', 'missing', 'eight', 'empty', 'with space', 'tab\there', 'user@example.com', '']) {
    await sameResult(t, tables, 'postmap', ['-q', key, map]);
  }
  await sameResult(t, tables, 'postmap', ['-f', '-q', 'FOO', map]);
  await sameResult(t, tables, 'postmap', ['-q', '-', map], { input: 'foo\nFoo\nnone\nwith space\neight\nempty\n\nuser@EXAMPLE.com\n' });
  await sameResult(t, tables, 'postmap', ['-q', '-', 'inline:{missing=inline}', map], { input: 'missing\nfoo\n' });
  await sameResult(t, tables, 'postmap', ['-s', map]);
  // The same settings from main.cf, as "<name>_<setting>".
  const viaMain = tableDir(t, `mymc_memcache = ${mc.endpoint}\nmymc_ttl = 60\n`);
  await sameResult(t, viaMain, 'postmap', ['-q', '-', 'memcache:mymc'], { input: 'foo\nmissing\n' });
});

test('memcache: key_format and the domain list', async (t) => {
  if (!requireRoot(t)) return;
  const mc = await startMemcached(t);
  await seed(mc, ENTRIES);
  const tables = tableDir(t);
  tables.file('domains', 'example.com\n#comment\nother.example\n');
  const formats: Record<string, string> = {
    user: 'k-%u', domain: 'd-%d', labels: 'p-%2-%1', whole: 'w-%s-%%', upper: 'u-%U-%D',
  };
  const keys = 'joe@example.com\nJOE@Example.COM\njoe\njoe@\n@example.com\nx@a.b.example.com\nx@other.example\nx@bad.example\nuser@example.com\n';
  for (const [name, format] of Object.entries(formats)) {
    tables.file(`${name}.cf`, `memcache = ${mc.endpoint}\nkey_format = ${format}\n`);
    await sameResult(t, tables, 'postmap', ['-q', '-', `memcache:${join(tables.dir, `${name}.cf`)}`], { input: keys });
  }
  for (const domain of ['example.com, other.example', '!other.example, example.com, example.net', `${join(tables.dir, 'domains')}`,
    'inline:{other.example=yes}', 'hash:/nonexistent/domains', '/nonexistent/file']) {
    tables.file('dom.cf', `memcache = ${mc.endpoint}\nkey_format = k-%u\ndomain = ${domain}\n`);
    await sameResult(t, tables, 'postmap', ['-q', '-', `memcache:${join(tables.dir, 'dom.cf')}`], { input: keys });
  }
});

test('memcache: verbose logging of the settings and the protocol', async (t) => {
  if (!requireRoot(t)) return;
  const mc = await startMemcached(t);
  await seed(mc, ENTRIES);
  const tables = tableDir(t);
  tables.file('mc.cf', `memcache = ${mc.endpoint}\nkey_format = k-%u\ndomain = example.com\n`);
  // Only what the table client says: the reference's -v also logs main.cf processing.
  const ours = /cfg_get|memcache|match_|auto_clnt|write:|got|read:|skipping|trying/;
  const keep = (r: RunResult) => ({ ...r, stderr: r.stderr.split('\n').filter((l) => ours.test(l)).join('\n') });
  const args = ['-c', tables.dir, '-v', '-q', '-', `memcache:${join(tables.dir, 'mc.cf')}`];
  const input = 'joe@example.com\nx@nomatch.example\njoe\nsp ace@example.com\n';
  const [o, r] = await Promise.all([runOurs('postmap', args, { cwd: tables.dir, input }), runReference('postmap', args, { cwd: tables.dir, input })]);
  t.deepEqual(keep(o), keep(r));
});

test('memcache: a backup table, filled into the cache on a miss; deletes from both', async (t) => {
  if (!requireRoot(t)) return;
  const mc = await startMemcached(t);
  const tables = tableDir(t);
  tables.file('backup', 'inbackup from backup\ncached in backup too\nbig xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n');
  tables.file('mc.cf', `memcache = ${mc.endpoint}\nbackup = hash:${join(tables.dir, 'backup')}\ndata_size_limit = 40\nttl = 0\n`);
  const build = () => runReference('postmap', ['-c', tables.dir, join(tables.dir, 'backup')], { cwd: tables.dir });
  t.is((await build()).status, 0);
  const map = `memcache:${join(tables.dir, 'mc.cf')}`;
  const cache = async () => ({ inbackup: await mc.get('inbackup'), cached: await mc.get('cached'), big: await mc.get('big') });
  await sequential(t, tables, ['-q', '-', map], () => seed(mc, { cached: 'from cache' }), cache, 'inbackup\ncached\nbig\nnone\n');
  await sequential(t, tables, ['-s', map], () => seed(mc, {}), cache);
  const restore = async () => {
    t.is((await build()).status, 0);
    await seed(mc, { cached: 'from cache', inbackup: 'stale' });
  };
  const both = async () => ({
    cache: await cache(),
    backup: (await runReference('postmap', ['-c', tables.dir, '-s', `hash:${join(tables.dir, 'backup')}`])).stdout,
  });
  await sequential(t, tables, ['-d', 'inbackup', map], restore, both);
  await sequential(t, tables, ['-d', 'cached', map], restore, both);
  await sequential(t, tables, ['-d', 'nowhere', map], restore, both);
  await sequential(t, tables, ['-d', '-', map], restore, both, 'cached\ninbackup\nnowhere\n');
});

test('memcache: deletes without a backup', async (t) => {
  if (!requireRoot(t)) return;
  const mc = await startMemcached(t);
  const tables = tableDir(t);
  tables.file('mc.cf', `memcache = ${mc.endpoint}\n`);
  const map = `memcache:${join(tables.dir, 'mc.cf')}`;
  const state = async () => ({ foo: await mc.get('foo'), eight: await mc.get('eight') });
  for (const key of ['foo', 'FOO', 'missing', 'with space']) {
    await sequential(t, tables, ['-d', key, map], () => seed(mc, ENTRIES), state);
  }
  await sequential(t, tables, ['-d', '-', map], () => seed(mc, ENTRIES), state, 'missing\neight\n');
});

test('memcache: data and line size limits', async (t) => {
  if (!requireRoot(t)) return;
  const mc = await startMemcached(t);
  await seed(mc, { small: 'abc', large: 'x'.repeat(50), ['k'.repeat(30)]: 'v' });
  const tables = tableDir(t);
  tables.file('data.cf', `memcache = ${mc.endpoint}\ndata_size_limit = 10\n`);
  tables.file('line.cf', `memcache = ${mc.endpoint}\nline_size_limit = 20\nmax_try = 3\n`);
  tables.file('once.cf', `memcache = ${mc.endpoint}\ndata_size_limit = 10\nmax_try = 1\n`);
  for (const key of ['small', 'large']) {
    await sameResult(t, tables, 'postmap', ['-q', key, `memcache:${join(tables.dir, 'data.cf')}`]);
    await sameResult(t, tables, 'postmap', ['-q', key, `memcache:${join(tables.dir, 'once.cf')}`]);
  }
  for (const key of ['small', 'k'.repeat(30)]) {
    await sameResult(t, tables, 'postmap', ['-q', key, `memcache:${join(tables.dir, 'line.cf')}`]);
  }
});

test('memcache: server down, and a server that talks nonsense', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  const mc = await startMemcached(t);
  const port = mc.port;
  await mc.stop();
  tables.file('down.cf', `memcache = inet:127.0.0.1:${port}\n`);
  const down = `memcache:${join(tables.dir, 'down.cf')}`;
  await Promise.all([
    sameResult(t, tables, 'postmap', ['-q', 'foo', down]),
    sameResult(t, tables, 'postmap', ['-q', '-', down], { input: 'foo\nbar\n' }),
    sameResult(t, tables, 'postmap', ['-d', 'foo', down]),
    sameResult(t, tables, 'postmap', ['-q', 'with space', down]),
  ]);

  // Replies by key; each connection is served one request at a time.
  const REPLIES: Record<string, string> = {
    ok: 'VALUE ok 0 5\r\nhello\r\nEND\r\n',
    trailer: 'VALUE trailer 0 2\r\nhi\r\nNOT END\r\n',
    short: 'VALUE short 0 10\r\nhi\r\n',
    nocrlf: 'VALUE nocrlf 0 2\r\nhiXXEND\r\n',
    negative: 'VALUE negative 0 -1\r\nEND\r\n',
    garbage: 'SERVER_ERROR out of memory storing object\r\n',
    bare: 'END\n',
    lf: 'VALUE lf 0 2\nhi\r\nEND\n',
  };
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => undefined);
    sock.on('close', () => sockets.delete(sock));
    let pending = '';
    sock.setEncoding('latin1');
    sock.on('data', (chunk: string) => {
      pending += chunk;
      for (let eol = pending.indexOf('\r\n'); eol >= 0; eol = pending.indexOf('\r\n')) {
        const [verb, key] = pending.slice(0, eol).split(' ');
        pending = pending.slice(eol + 2);
        if (key === 'hangup') {
          sock.destroy();
          return;
        }
        if (verb === 'delete') sock.write(key === 'ok' ? 'DELETED\r\n' : 'WHAT\r\n');
        else sock.write(REPLIES[key ?? ''] ?? 'END\r\n', 'latin1');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const sock of sockets) sock.destroy();
    server.close();
  });
  const fake = `inet:127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A generous time limit, so that a busy machine does not change the outcome; only the
  // short reply must run into it.
  tables.file('fake.cf', `memcache = ${fake}\ntimeout = 20\n`);
  tables.file('short.cf', `memcache = ${fake}\ntimeout = 1\n`);
  const map = `memcache:${join(tables.dir, 'fake.cf')}`;
  await Promise.all([...Object.keys(REPLIES), 'hangup', 'unknown'].map((key) =>
    sameResult(t, tables, 'postmap', ['-q', key, key === 'short' ? `memcache:${join(tables.dir, 'short.cf')}` : map])));
  await sameResult(t, tables, 'postmap', ['-q', '-', map], { input: 'trailer\nok\nlf\n' });
  await sameResult(t, tables, 'postmap', ['-d', 'ok', map]);
  await sameResult(t, tables, 'postmap', ['-d', 'other', map]);
  await sameResult(t, tables, 'postmap', ['-d', 'hangup', map]);
});

test('memcache: configuration errors', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t, 'bad_timeout = soon\nbad_max_try = 0\nok_memcache = inet:127.0.0.1:1\nok_max_try = 1\n');
  const cases: Record<string, string> = {
    number: 'timeout = abc\n',
    trailing: 'ttl = 12x\n',
    toolong: 'flags = 99999999999\n',
    empty: 'ttl =\n',
    zero: 'max_try = 0\n',
    pause: 'retry_pause = -1\n',
    template: 'key_format = %x\n',
    endpoint: 'memcache = localhost\n',
    transport: 'memcache = tcp:localhost:11211\n',
    backup: 'backup = hash:/nonexistent/backup\n',
    backuptype: 'backup = nosuchtype:/x\n',
    syntax: 'no equals sign here\n',
    duplicate: 'ttl = 1\nttl = 2\nmemcache = inet:127.0.0.1:1\nmax_try = 1\n',
  };
  // Independent runs, side by side: each fatal error pauses a second.
  await Promise.all(Object.entries(cases).map(([name, text]) => {
    tables.file(`${name}.cf`, text);
    return sameResult(t, tables, 'postmap', ['-q', 'foo', `memcache:${join(tables.dir, `${name}.cf`)}`]);
  }));
  await Promise.all(['memcache:bad', 'memcache:ok', 'memcache:/nonexistent/mc.cf', 'memcache:./relative.cf']
    .map((map) => sameResult(t, tables, 'postmap', ['-q', 'foo', map])));
  tables.file('plain.cf', 'memcache = inet:127.0.0.1:1\n');
  await sameResult(t, tables, 'postmap', ['-i', `memcache:${join(tables.dir, 'plain.cf')}`], { input: 'a b\n' });
  await sameResult(t, tables, 'postmap', [`memcache:${join(tables.dir, 'plain.cf')}`]);
});
