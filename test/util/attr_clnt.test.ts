/*
 * attr_clnt, auto_clnt and clnt_stream against servers built with our codecs: one
 * connection for many requests, the request limit, reconnecting after the server hangs
 * up, the idle and age limits, the announcement check on each new connection, and the
 * retry with Postfix's warnings when there is no server.
 */
import test, { type ExecutionContext } from 'ava';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClntStream } from '../../src/global/clnt_stream.js';
import { checkProtocolAnnouncement, sendProtocolAnnouncement } from '../../src/global/mail_proto.js';
import {
  ATTR_FLAG_NONE, ATTR_FLAG_STRICT, recvAttrInt, recvAttrStr, sendAttrInt, sendAttrStr,
} from '../../src/util/attr.js';
import { AttrClnt } from '../../src/util/attr_clnt.js';
import { attrPrint0, encodeAttr0 } from '../../src/util/attr_print0.js';
import { attrPrintPlain } from '../../src/util/attr_print_plain.js';
import { attrScan0 } from '../../src/util/attr_scan0.js';
import { attrScanPlain } from '../../src/util/attr_scan_plain.js';
import { AsyncVStream } from '../../src/util/vstream_async.js';
import { tempDir } from '../helpers/diff.js';
import { startMsgCapture, stopMsgCapture } from '../helpers/msg_capture.js';

interface Served {
  /** Connections accepted so far. */
  connections: number;
  /** Connections the client has closed. */
  closed: number;
}

/**
 * An anvil-like server in the plain encoding: announces anvil_protocol if asked to, then
 * answers each [request, ident] with [status=0, count=<requests on this connection>];
 * "bye" makes it hang up after answering.
 */
async function plainServer(t: ExecutionContext, path: string, hello: boolean): Promise<Served> {
  const served: Served = { connections: 0, closed: 0 };
  const open = new Set<Socket>();
  const server = createServer(async (sock) => {
    open.add(sock);
    served.connections++;
    sock.on('close', () => served.closed++);
    const stream = new AsyncVStream(sock, sock, { path: 'client', timeout: 10 });
    if (hello) await sendProtocolAnnouncement(stream, 'anvil_protocol', attrPrintPlain);
    for (let n = 1; ; n++) {
      const { count, values: [request] } = await attrScanPlain(stream, ATTR_FLAG_STRICT, [recvAttrStr('request'), recvAttrStr('ident')]);
      if (count !== 2) break;
      attrPrintPlain(stream, ATTR_FLAG_NONE, [sendAttrInt('status', 0), sendAttrInt('count', n)]);
      if (!(await stream.flush()) || request === 'bye') break;
    }
    await stream.close();
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => {
    for (const sock of open) sock.destroy();
    server.close();
  });
  return served;
}

const ask = (client: AttrClnt, request = 'connect') => client.request(ATTR_FLAG_NONE,
  [sendAttrStr('request', request), sendAttrStr('ident', 'smtp:192.0.2.1')], ATTR_FLAG_STRICT,
  [recvAttrInt('status'), recvAttrInt('count')]);

test('many requests over one connection; the request limit forces a new one', async (t) => {
  const path = join(tempDir(t), 'anvil');
  const served = await plainServer(t, path, false);
  const client = new AttrClnt(`unix:${path}`, 10, 100, 1000);
  t.teardown(() => client.free());
  t.deepEqual((await ask(client)).values, [0, 1]);
  t.deepEqual((await ask(client)).values, [0, 2]);
  t.deepEqual((await ask(client)).values, [0, 3]);
  t.is(served.connections, 1);

  const limited = new AttrClnt(`unix:${path}`, 10, 100, 1000, { requestLimit: 2 });
  t.teardown(() => limited.free());
  const counts = [];
  for (let i = 0; i < 5; i++) counts.push((await ask(limited)).values[1]);
  t.deepEqual(counts, [1, 2, 1, 2, 1]);
  t.is(served.connections, 4);
});

test.serial('a server that hung up between requests is left behind without a warning', async (t) => {
  const path = join(tempDir(t), 'anvil');
  const served = await plainServer(t, path, false);
  const client = new AttrClnt(`local:${path}`, 10, 100, 1000);
  t.teardown(() => client.free());
  const lines = startMsgCapture('test');
  try {
    t.deepEqual((await ask(client, 'bye')).values, [0, 1]);
    await sleep(100); // the server's close arrives while the client is idle
    t.deepEqual((await ask(client)).values, [0, 1]);
  } finally {
    stopMsgCapture();
  }
  t.deepEqual(lines, []);
  t.is(served.connections, 2);
});

test.serial('the idle limit and the age limit close the connection', async (t) => {
  const path = join(tempDir(t), 'anvil');
  const served = await plainServer(t, path, false);
  const idle = new AttrClnt(`unix:${path}`, 10, 0.2, 1000);
  t.teardown(() => idle.free());
  await ask(idle);
  await sleep(500);
  t.is(served.closed, 1, 'closed after max_idle');
  t.deepEqual((await ask(idle)).values, [0, 1]);

  const aged = new AttrClnt(`unix:${path}`, 10, 100, 0.3);
  t.teardown(() => aged.free());
  const counts = [];
  for (let i = 0; i < 6; i++) {
    counts.push((await ask(aged)).values[1]);
    await sleep(100);
  }
  t.true(counts.includes(1) && counts.lastIndexOf(1) > 0, `reconnected after max_ttl: ${counts.join(',')}`);
});

test.serial('the handshake reads the announcement on each new connection', async (t) => {
  const path = join(tempDir(t), 'anvil');
  const served = await plainServer(t, path, true);
  let handshakes = 0;
  const client = new AttrClnt(`unix:${path}`, 10, 100, 1000, {
    handshake: async (stream) => {
      handshakes++;
      return checkProtocolAnnouncement(stream, 'anvil_protocol', attrScanPlain);
    },
  });
  t.teardown(() => client.free());
  t.deepEqual((await ask(client)).values, [0, 1]);
  t.deepEqual((await ask(client, 'bye')).values, [0, 2]);
  await sleep(100);
  t.deepEqual((await ask(client)).values, [0, 1]);
  t.is(handshakes, 2);
  t.is(served.connections, 2);
});

test.serial('no server: two tries a second apart, then Postfix\'s warnings and a failure', async (t) => {
  const path = join(tempDir(t), 'nosuch');
  const client = new AttrClnt(`unix:${path}`, 10, 100, 1000);
  const lines = startMsgCapture('test');
  let count: number;
  try {
    count = (await ask(client)).count;
  } finally {
    stopMsgCapture();
  }
  t.is(count, -1);
  t.deepEqual(lines, [
    `test: warning: connect to ${path}: No such file or directory\n`,
    `test: warning: connect to ${path}: No such file or directory\n`,
    `test: warning: problem talking to server ${path}: No such file or directory\n`,
  ]);
});

test.serial('bad service names are fatal, as in Postfix', async (t) => {
  // msg.fatal exits; check the texts through a child process.
  const { spawnSync } = await import('node:child_process');
  const { pathToFileURL } = await import('node:url');
  const { DIST } = await import('../helpers/paths.js');
  for (const [service, text] of [['nocolon', 'need service transport:endpoint instead of "nocolon"'],
    ['udp:x', 'invalid transport name: udp in service: udp:x']]) {
    const script = `const { msgVstreamInit } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'src/util/msg.js')).href)});
      msgVstreamInit('test');
      const { AttrClnt } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'src/util/attr_clnt.js')).href)});
      new AttrClnt(${JSON.stringify(service)}, 1, 1, 1);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script]);
    t.is(child.status, 1);
    t.is(child.stderr.toString(), `test: fatal: ${text}\n`);
  }
});

test.serial('clnt_stream: announcement on each new connection, reconnect when the server went away', async (t) => {
  const spool = tempDir(t);
  const old = process.cwd();
  process.chdir(spool);
  t.teardown(() => process.chdir(old));
  const { mkdirSync } = await import('node:fs');
  mkdirSync('private');
  let connections = 0;
  const open = new Set<Socket>();
  // A rewrite-like NUL server that hangs up after every second request.
  const server = createServer(async (sock) => {
    open.add(sock);
    connections++;
    const stream = new AsyncVStream(sock, sock, { path: 'client', timeout: 10 });
    await sendProtocolAnnouncement(stream, 'trivial_rewrite_protocol');
    for (let n = 1; n <= 2; n++) {
      const { count, values: [, address] } = await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrStr('request'), recvAttrStr('address')]);
      if (count !== 2) break;
      attrPrint0(stream, ATTR_FLAG_NONE, [sendAttrInt('flags', 0), sendAttrStr('address', `${address}@example`)]);
      await stream.flush();
    }
    await stream.close();
  });
  await new Promise<void>((resolve) => server.listen('private/rewrite', resolve));
  t.teardown(() => {
    for (const sock of open) sock.destroy();
    server.close();
  });
  const clnt = new ClntStream('private', 'rewrite', 5, 1000, (stream) => checkProtocolAnnouncement(stream, 'trivial_rewrite_protocol'));
  t.teardown(() => clnt.free());
  const results: string[] = [];
  for (const user of ['a', 'b', 'c']) {
    const stream = await clnt.access();
    if (stream === null) return t.fail('no stream');
    try {
      stream.write(encodeAttr0(ATTR_FLAG_NONE, [sendAttrStr('request', 'rewrite'), sendAttrStr('address', user)]));
      const { values: [, address] } = await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrInt('flags'), recvAttrStr('address')]);
      results.push(address);
    } finally {
      clnt.release();
    }
    await sleep(50);
  }
  t.deepEqual(results, ['a@example', 'b@example', 'c@example']);
  t.is(connections, 2);
});

test.serial('an idle connection does not keep a program from exiting', async (t) => {
  const path = join(tempDir(t), 'anvil');
  const served = await plainServer(t, path, false);
  const { spawn } = await import('node:child_process');
  const { pathToFileURL } = await import('node:url');
  const { DIST } = await import('../helpers/paths.js');
  const script = `const a = await import(${JSON.stringify(pathToFileURL(join(DIST, 'src/util/attr.js')).href)});
    const { AttrClnt } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'src/util/attr_clnt.js')).href)});
    const client = new AttrClnt(${JSON.stringify(`unix:${path}`)}, 10, 100, 1000);
    const r = await client.request(0, [a.sendAttrStr('request', 'x'), a.sendAttrStr('ident', 'y')], 3,
      [a.recvAttrInt('status'), a.recvAttrInt('count')]);
    console.log(r.count);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  // max_idle is 100 s: an exit well before that means the idle connection did not hold it.
  const timer = setTimeout(() => child.kill(), 30_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  t.is(status, 0);
  t.is(out, '2\n');
  t.is(served.connections, 1);
});
