/*
 * queue_file: in-place updates on a complete file give exactly the bytes the reference's
 * programs produced with the same updates (delay warning sent, recipient done, record killed).
 */
import test from 'ava';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readQueuedMessage, writeQueuedMessage } from '../../src/global/queue_file.js';
import { RecordStream, REC_FLAG_NONE, recGetRaw, recPutType, recUpdatePayload } from '../../src/global/record.js';
import { REC_TYPE_DONE, REC_TYPE_EOF, REC_TYPE_RCPT, REC_TYPE_WARN, formatFixedWidth } from '../../src/global/rec_type.js';
import { DEFAULT_QUEUE_LAYOUT } from '../../src/global/mail_queue.js';
import { tempDir } from '../helpers/diff.js';
import { VECTOR_DIR } from '../helpers/queue_vectors.js';

function modelOf(file: string) {
  const model = readQueuedMessage(new RecordStream(file, readFileSync(join(VECTOR_DIR, file))));
  if (model === null) throw new Error(`${file} refused`);
  return model;
}

function offsetsOf(bytes: Buffer, type: number): number[] {
  const stream = new RecordStream('x', bytes);
  const found: number[] = [];
  for (;;) {
    const at = stream.tell();
    const r = recGetRaw(stream, 0, REC_FLAG_NONE);
    if (r.type === REC_TYPE_EOF || r.type < 0) return found;
    if (r.type === type) found.push(at);
  }
}

test('marking the delay warning sent in place gives the reference bytes', (t) => {
  const file = 'deferred/9/4jWzyk4TzNzJDw6'; // qmgr rewrote its W record to -1
  const model = modelOf(file);
  t.is(model.warnTime, -1);
  const top = tempDir(t);
  mkdirSync(join(top, 'deferred'));
  const written = writeQueuedMessage(top, DEFAULT_QUEUE_LAYOUT, 'deferred', { ...model, warnTime: model.arrival.sec + 1 });
  const path = join(top, written.path);
  const [warnAt] = offsetsOf(readFileSync(path), REC_TYPE_WARN);
  t.not(readFileSync(path), readFileSync(join(VECTOR_DIR, file)));
  const fd = openSync(path, 'r+');
  recUpdatePayload(fd, warnAt!, 15, formatFixedWidth(-1));
  closeSync(fd);
  t.deepEqual(readFileSync(path), readFileSync(join(VECTOR_DIR, file)));
});

test('a delivery agent marking a recipient done in place gives the reference bytes', (t) => {
  const before = 'active/4jWzxY4BtvzJF0K.before-bounce';
  const after = 'active/4jWzxY4BtvzJF0K.after-bounce';
  const top = tempDir(t);
  mkdirSync(join(top, 'active'));
  const written = writeQueuedMessage(top, DEFAULT_QUEUE_LAYOUT, 'active', modelOf(before));
  const path = join(top, written.path);
  t.deepEqual(readFileSync(path), readFileSync(join(VECTOR_DIR, before)));
  const [rcptAt] = offsetsOf(readFileSync(path), REC_TYPE_RCPT);
  t.is(rcptAt, 282); // the offset the reference's bounce log names for this recipient
  const fd = openSync(path, 'r+');
  recPutType(fd, REC_TYPE_DONE, rcptAt!);
  closeSync(fd);
  t.deepEqual(readFileSync(path), readFileSync(join(VECTOR_DIR, after)));
  t.regex(readFileSync(join(VECTOR_DIR, 'bounce/4jWzxY4BtvzJF0K'), 'latin1'), /^offset=282$/m);
});
