/*
 * postcat, ours and the reference's, on the reference-made queue files in
 * test/fixtures/queue-vectors/ (every option, standard input, -q in a queue tree with
 * hashed and flat queues, damaged files, bad arguments): same stdout, stderr and status.
 */
import test from 'ava';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { requireRoot, runBoth, tempDir, type RunOptions, type RunResult } from '../helpers/diff.js';
import { mailQueuePath } from '../../src/global/mail_queue.js';
import { VECTOR_DIR, queueConfig, vectorFiles, withoutConfigChatter } from '../helpers/queue_vectors.js';

const VECTORS = vectorFiles();

const normal = (r: RunResult): RunResult => ({ ...r, stderr: withoutConfigChatter(r.stderr) });

async function same(t: import('ava').ExecutionContext, args: string[], opts: RunOptions): Promise<void> {
  const [ours, ref] = await runBoth('postcat', args, opts);
  t.deepEqual(normal(ours), normal(ref), `postcat ${args.join(' ')}`);
}

test('the vectors are all there', (t) => {
  t.true(VECTORS.length >= 37, `found ${VECTORS.length} vector files`);
});

const OPTION_SETS = [
  [], ['-e'], ['-h'], ['-b'], ['-eh'], ['-eb'], ['-hb'], ['-ehb'], ['-o'], ['-d'], ['-od'], ['-r'],
  ['-v'], ['-v', '-e'], ['-v', '-h'], ['-v', '-b'], ['-vod'], ['-vr'], ['-vro'], ['-vhb'], ['-ho'], ['-bo'], ['-bd'],
  ['-eo', '-s', '0'], ['-c', 'CONFIG', '-e'],
];

for (const options of OPTION_SETS) {
  test(`postcat ${options.join(' ')} on every vector file`, async (t) => {
    if (!requireRoot(t)) return;
    const { config } = queueConfig(t);
    const args = options.map((o) => (o === 'CONFIG' ? config : o));
    await same(t, [...args, ...VECTORS], { cwd: VECTOR_DIR, env: { MAIL_CONFIG: config } });
  });
}

for (const file of VECTORS) {
  test(`postcat -s on ${file}`, async (t) => {
    if (!requireRoot(t)) return;
    const { config } = queueConfig(t);
    const opts = { cwd: VECTOR_DIR, env: { MAIL_CONFIG: config } };
    await same(t, ['-s', '97', file], opts);
    await same(t, ['-vo', '-s', '100', file], opts);
  });
}

test('postcat reads standard input (a pipe, which cannot seek)', async (t) => {
  if (!requireRoot(t)) return;
  const { config } = queueConfig(t);
  for (const file of ['incoming/5A8DD20E6FB', 'maildrop/EB74920EB23', 'incoming-milter/4jWzzX2m3LzJDvK']) {
    const input = readFileSync(join(VECTOR_DIR, file));
    for (const args of [[], ['-v'], ['-h'], ['-e'], ['-b'], ['-o'], ['-s', '19'], ['-s', '100000'], ['-vr']]) {
      await same(t, args, { input, env: { MAIL_CONFIG: config } });
    }
  }
});

test('postcat -q finds files in every queue it searches, hashed or not', async (t) => {
  if (!requireRoot(t)) return;
  for (const depth of [1, 2]) {
    const { config, spool } = queueConfig(t, `hash_queue_depth = ${depth}\nhash_queue_names = deferred, defer, HOLD\n`);
    const ids: string[] = [];
    const layout = { hashQueueNames: ['deferred', 'defer', 'HOLD'], hashQueueDepth: depth, longQueueIds: false };
    // Our library decides where each file goes; the reference must find it there.
    const place = (queue: string, file: string, id = basename(file)) => {
      const path = join(spool, mailQueuePath(layout, queue, id));
      mkdirSync(dirname(path), { recursive: true });
      copyFileSync(join(VECTOR_DIR, file), path);
      ids.push(id);
    };
    for (const file of VECTORS) {
      const [queue] = file.split('/');
      if (queue === 'maildrop' || queue === 'incoming' || queue === 'deferred' || queue === 'hold') place(queue!, file);
    }
    place('active', 'active/4jWzxY4BtvzJF0K.before-bounce', '4jWzxY4BtvzJF0K');
    place('saved', 'active/4jWzxY4BtvzJF0K.after-bounce', 'SAVED0123');
    const opts = { env: { MAIL_CONFIG: config } };
    for (const args of [['-q', ...ids], ['-q', '-vo', ...ids], ['-qhb', ...ids]]) {
      const [ours, ref] = await runBoth('postcat', args, opts);
      t.is(ref.status, 0, ref.stderr);
      t.deepEqual(normal(ours), normal(ref));
    }
    await same(t, ['-q', 'NOSUCHFILE'], opts);
    await same(t, ['-q', 'bad.id'], opts);
    await same(t, ['-q', '4jWzxY4BtvzJF0K.before-bounce'], opts);
  }
});

test('postcat on files that are not queue files, or not there', async (t) => {
  if (!requireRoot(t)) return;
  const { config } = queueConfig(t);
  const dir = tempDir(t);
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'text'), 'From: someone\nSubject: plain text\n\nbody\n');
  writeFileSync(join(dir, 'nul'), Buffer.from([0, 0, 0]));
  copyFileSync(join(VECTOR_DIR, 'incoming/5A8DD20E6FB'), join(dir, 'stdin')); // a file named like the stream
  mkdirSync(join(dir, 'directory'));
  const opts = { cwd: dir, env: { MAIL_CONFIG: config } };
  for (const args of [['empty'], ['text'], ['nul'], ['directory'], ['empty', 'directory', 'text'], ['missing'], ['-q'], ['-e', 'text'], ['-s', '100', 'stdin'], ['-s', '99999', 'stdin']]) {
    await same(t, args, opts);
  }
});

test('postcat on damaged queue files: truncated at many offsets', async (t) => {
  if (!requireRoot(t)) return;
  const { config } = queueConfig(t);
  const dir = tempDir(t);
  const whole = readFileSync(join(VECTOR_DIR, 'incoming-milter/4jWzzX2m3LzJDvK'));
  const opts = { cwd: dir, env: { MAIL_CONFIG: config } };
  for (let cut = 1; cut < whole.length; cut += 37) {
    writeFileSync(join(dir, `cut${cut}`), whole.subarray(0, cut));
    await same(t, [`cut${cut}`], opts);
    await same(t, ['-v', `cut${cut}`], opts);
  }
});

test('postcat on damaged queue files: bad lengths, pointers, size and time records', async (t) => {
  if (!requireRoot(t)) return;
  const { config } = queueConfig(t);
  const dir = tempDir(t);
  const rec = (type: string, payload: string | Buffer) => {
    const data = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
    const len: number[] = [];
    let rest = data.length;
    do {
      len.push((rest & 0x7f) | (rest >= 128 ? 0x80 : 0));
      rest >>>= 7;
    } while (rest > 0);
    return Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(len), data]);
  };
  const body = Buffer.concat([rec('M', ''), rec('N', 'Subject: x'), rec('N', ''), rec('N', 'body'), rec('X', ''), rec('E', '')]);
  const cases: Record<string, Buffer> = {
    longlength: Buffer.concat([Buffer.from('T\xff\xff\xff\xff\xff\x01', 'latin1')]),
    negative: Buffer.from('T\xff\xff\xff\xff\x08', 'latin1'),
    bigbutshort: Buffer.from('T\xff\xff\xff\xff\x07abc', 'latin1'),
    badpointer: Buffer.concat([rec('T', '1 2'), rec('p', '12x'), body]),
    farpointer: Buffer.concat([rec('T', '1 2'), rec('p', '  999999'), body]),
    zeropointer: Buffer.concat([rec('T', '1 2'), rec('p', '0'), rec('S', 'a@b'), body]),
    badsize: Buffer.concat([rec('C', 'twelve'), rec('T', '1 2'), body]),
    twosizes: Buffer.concat([rec('C', '  10  20'), rec('C', '  10  20'), rec('T', '1 2'), body]),
    sizeonefield: Buffer.concat([rec('C', '   10'), rec('T', '1 2'), body]),
    oddtimes: Buffer.concat([rec('T', ' -5 x'), rec('W', '             -1'), rec('A', 'create_time=abc'), rec('A', '  spaced  =  value  '), rec('A', '=novalue'), rec('A', 'noequals'), body]),
    nulbytes: Buffer.concat([rec('S', 'a\0b'), rec('R', 'c@d'), rec('M', ''), rec('N', 'Sub\0ject: x'), rec('N', 'line\0with nul'), rec('L', 'part'), rec('X', ''), rec('Q', 'unknown'), rec('E', '')]),
    outoforder: Buffer.concat([rec('T', '1 2'), rec('X', ''), rec('M', ''), rec('N', 'x'), rec('E', ''), rec('M', ''), rec('E', '')]),
    afterend: Buffer.concat([rec('T', '1 2'), body, rec('N', 'heap'), rec('E', '')]),
    headerws: Buffer.concat([rec('T', '1 2'), rec('M', ''), rec('N', ' starts with space'), rec('N', 'Name : value'), rec('L', 'cont'), rec('N', 'inued'), rec('N', 'body'), rec('X', ''), rec('E', '')]),
  };
  const opts = { cwd: dir, env: { MAIL_CONFIG: config } };
  for (const [name, data] of Object.entries(cases)) {
    writeFileSync(join(dir, name), data);
    for (const args of [[], ['-v'], ['-vr'], ['-h'], ['-b'], ['-e'], ['-od']]) await same(t, [...args, name], opts);
  }
});

test('postcat with bad arguments', async (t) => {
  if (!requireRoot(t)) return;
  const { config } = queueConfig(t);
  const opts = { cwd: VECTOR_DIR, env: { MAIL_CONFIG: config } };
  for (const args of [['-s', 'abc', 'incoming/5A8DD20E6FB'], ['-s', '-1'], ['-s', ''], ['-c', join(config, 'missing'), 'x']]) {
    await same(t, args, opts);
  }
});

test('postcat prints times in the local time zone', async (t) => {
  if (!requireRoot(t)) return;
  const { config } = queueConfig(t);
  for (const tz of ['Asia/Kolkata', 'America/New_York']) {
    await same(t, ['-e', 'incoming/5A8DD20E6FB', 'deferred/9/4jWzyk4TzNzJDw6'], { cwd: VECTOR_DIR, env: { MAIL_CONFIG: config, TZ: tz } });
  }
  const { config: importing } = queueConfig(t, 'import_environment = TZ=Europe/Berlin MAIL_CONFIG\n');
  await same(t, ['-e', 'incoming/5A8DD20E6FB'], { cwd: VECTOR_DIR, env: { MAIL_CONFIG: importing } });
});
