/*
 * The reference qshape reads a queue tree written by our library (hashed deferred and
 * hold queues, short and long IDs) and reports the same shape as for a tree holding the
 * reference's own files for the same messages.
 */
import test from 'ava';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runReference, tempDir } from '../helpers/diff.js';
import { VECTOR_DIR, vectorFiles } from '../helpers/queue_vectors.js';
import { readQueuedMessage, writeQueuedMessage } from '../../src/global/queue_file.js';
import { RecordStream } from '../../src/global/record.js';
import type { QueueLayout } from '../../src/global/mail_queue.js';

const QUEUES = ['incoming', 'active', 'deferred', 'hold'];

test('reference qshape on our queue tree and on the reference files', async (t) => {
  if (!requireRoot(t)) return;
  const dir = tempDir(t, 'pf-qshape-');
  const ours = join(dir, 'ours');
  const theirs = join(dir, 'theirs');
  for (const q of QUEUES) {
    mkdirSync(join(ours, q), { recursive: true });
    mkdirSync(join(theirs, q), { recursive: true });
  }
  const files = vectorFiles().filter((f) => /^(incoming|incoming-requeued|hold|deferred)\//.test(f));
  files.forEach((file, i) => {
    const queue = QUEUES[i % QUEUES.length]!;
    const layout: QueueLayout = { hashQueueNames: ['deferred', 'hold'], hashQueueDepth: 2, longQueueIds: i % 2 === 0 };
    const stream = RecordStream.open(join(VECTOR_DIR, file));
    if (typeof stream === 'string') throw new Error(stream);
    const model = readQueuedMessage(stream);
    if (model === null) throw new Error(`${file} was refused`);
    writeQueuedMessage(ours, layout, queue, model);
    const copy = join(theirs, queue, file.split('/').pop()!);
    copyFileSync(join(VECTOR_DIR, file), copy);
    chmodSync(copy, 0o700); // complete, as cleanup left it
  });
  for (const options of [[], ['-s'], ['-p', '-m', '1'], ['-l', '-b', '20', '-t', '60']]) {
    const [a, b] = await Promise.all([
      runReference('qshape', [...options, ...QUEUES.map((q) => join(ours, q))]),
      runReference('qshape', [...options, ...QUEUES.map((q) => join(theirs, q))]),
    ]);
    t.is(b.status, 0, b.stderr);
    t.regex(b.stdout, new RegExp(`TOTAL +${options.includes('-s') ? files.length : '[1-9]\\d*'} `));
    t.deepEqual(a, b, `qshape ${options.join(' ')}`);
  }
});
