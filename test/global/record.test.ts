/*
 * record: reading and writing queue file records, checked against the reference-made
 * queue files in test/fixtures/queue-vectors/ (decode then encode gives the same bytes).
 */
import test from 'ava';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REC_FLAG_DEFAULT, REC_FLAG_NONE, RecordStream, RecordWriter, readRecordsAsync, recEncode, recGetRaw, recPadPayload, recPutType, textLineRecords,
} from '../../src/global/record.js';
import {
  REC_TYPE_CONT, REC_TYPE_DONE, REC_TYPE_END, REC_TYPE_EOF, REC_TYPE_ERROR, REC_TYPE_MESG, REC_TYPE_NORM, REC_TYPE_RCPT,
  REC_TYPE_SIZE, REC_TYPE_XTRA, formatSizeRecord, recTypeName,
} from '../../src/global/rec_type.js';
import { msgOutputAdd } from '../../src/util/msg.js';
import { tempDir } from '../helpers/diff.js';
import { VECTOR_DIR, vectorFiles } from '../helpers/queue_vectors.js';

const warnings: string[] = [];
msgOutputAdd((_level, text) => warnings.push(text));

const QUEUE_FILES = vectorFiles().filter((f) => /^(maildrop|incoming|incoming-milter|incoming-requeued|hold|deferred|active)\//.test(f));

function allRecords(stream: RecordStream, flags = REC_FLAG_NONE) {
  const out: Array<{ type: number; data: Buffer }> = [];
  for (;;) {
    const r = recGetRaw(stream, 0, flags);
    if (r.type === REC_TYPE_EOF || r.type === REC_TYPE_ERROR) return { records: out, end: r.type };
    out.push({ type: r.type, data: Buffer.from(r.data) });
  }
}

for (const file of QUEUE_FILES) {
  test(`decoding and re-encoding ${file} gives the same bytes`, (t) => {
    const bytes = readFileSync(join(VECTOR_DIR, file));
    const { records, end } = allRecords(new RecordStream(file, bytes));
    t.is(end, REC_TYPE_EOF);
    t.deepEqual(Buffer.concat(records.map((r) => recEncode(r.type, r.data))), bytes);
    t.true(records.some((r) => r.type === REC_TYPE_END), 'every queue file has an end record');
  });
}

test('text lines are split into records like the reference splits them', (t) => {
  for (const file of ['maildrop/EB74920EB23', 'incoming/5765520E6F1']) {
    const { records } = allRecords(new RecordStream(file, readFileSync(join(VECTOR_DIR, file))));
    const content = records.slice(records.findIndex((r) => r.type === REC_TYPE_MESG) + 1, records.findIndex((r) => r.type === REC_TYPE_XTRA));
    // Rebuild logical lines from the reference's records, then split them again.
    const lines: Array<{ text: Buffer; last: number }> = [];
    let pending: Buffer[] = [];
    for (const r of content) {
      pending.push(r.data);
      if (r.type === REC_TYPE_NORM || (r.type === REC_TYPE_CONT && r.data.length < 2048)) {
        lines.push({ text: Buffer.concat(pending), last: r.type });
        pending = [];
      }
    }
    const again = lines.flatMap((l) => textLineRecords(l.text, 2048, l.last));
    t.deepEqual(again.map(([type, data]) => [type, data.toString('latin1')]), content.map((r) => [r.type, r.data.toString('latin1')]));
    t.true(content.some((r) => r.type === REC_TYPE_CONT), `${file} has split lines`);
  }
});

test('lengths use as few 7-bit groups as needed and read back', (t) => {
  for (const len of [0, 1, 127, 128, 300, 16383, 16384, 2097151, 2097152]) {
    const rec = recEncode(0x4e, Buffer.alloc(len, 0x61));
    const groups = len === 0 ? 1 : Math.ceil(Math.log2(len + 1) / 7);
    t.is(rec.length, 1 + groups + len, `length ${len}`);
    const back = recGetRaw(new RecordStream('x', rec), 0, REC_FLAG_NONE);
    t.is(back.type, 0x4e);
    t.is(back.data.length, len);
  }
});

test('malformed records are reported and never returned half-read', (t) => {
  const cases: Array<[string, Buffer, RegExp]> = [
    ['too many length bytes', Buffer.from([0x4e, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), /too many length bits, record type 78/],
    ['no length byte', Buffer.from([0x4e]), /unexpected EOF reading length, record type 78/],
    ['short payload', Buffer.from([0x4e, 0x05, 0x61]), /unexpected EOF in data, record type 78 length 5/],
    ['length that overflows the C int', Buffer.from([0x4e, 0xff, 0xff, 0xff, 0xff, 0x0f]), /illegal length -1, record type 78/],
    ['pointer to nowhere it can parse', Buffer.concat([recEncode(0x70, 'x1')]), /malformed pointer record value: x1/],
  ];
  for (const [what, bytes, expect] of cases) {
    warnings.length = 0;
    const r = recGetRaw(new RecordStream('bad', bytes), 0, REC_FLAG_DEFAULT);
    t.is(r.type, REC_TYPE_ERROR, what);
    t.regex(warnings.join('\n'), expect, what);
  }
  warnings.length = 0;
  t.is(recGetRaw(new RecordStream('big', recEncode(0x4e, 'abcdef')), 5, REC_FLAG_NONE).type, REC_TYPE_ERROR);
  t.regex(warnings.join('\n'), /big: illegal length 6, record type 78/);
});

test('pointer and padding records are followed and skipped by default', (t) => {
  const file = 'incoming-milter/4jWzzX2m3LzJDvK';
  const bytes = readFileSync(join(VECTOR_DIR, file));
  const raw = allRecords(new RecordStream(file, bytes)).records.map((r) => recTypeName(r.type));
  const cooked = allRecords(new RecordStream(file, bytes), REC_FLAG_DEFAULT).records.map((r) => recTypeName(r.type));
  t.true(raw.includes('pointer_record') && raw.includes('padding'));
  t.false(cooked.includes('pointer_record') || cooked.includes('padding'));
  t.deepEqual(cooked, raw.filter((n) => n !== 'pointer_record' && n !== 'padding'));
});

test('a pipe cannot seek: the end record then fails as in Postfix', (t) => {
  warnings.length = 0;
  const stream = new RecordStream('stdin', Buffer.concat([recEncode(REC_TYPE_END, '')]), false);
  t.is(recGetRaw(stream, 0, REC_FLAG_DEFAULT).type, REC_TYPE_ERROR);
  t.regex(warnings.join('\n'), /stdin: seek error after reading END record: Illegal seek/);
  t.is(stream.tell(), -1);
});

test('the writer records offsets, rewrites fixed-width records and type bytes in place', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'file');
  const fd = openSync(path, 'w+');
  const w = new RecordWriter(fd, path);
  const sizeAt = w.put(REC_TYPE_SIZE, formatSizeRecord([0, 0, 0, 0, 0, 0]));
  const rcptAt = w.put(REC_TYPE_RCPT, 'a@example.com');
  w.put(REC_TYPE_MESG);
  const dataAt = w.offset;
  w.put(REC_TYPE_NORM, 'text');
  const xtraAt = w.put(REC_TYPE_XTRA);
  w.put(REC_TYPE_END);
  w.overwrite(sizeAt + 2, formatSizeRecord([xtraAt - dataAt, dataAt, 1, 0, xtraAt - dataAt, 0]));
  w.sync();
  recPutType(fd, REC_TYPE_DONE, rcptAt);
  closeSync(fd);
  const { records } = allRecords(new RecordStream(path, readFileSync(path)));
  t.deepEqual(records.map((r) => String.fromCharCode(r.type)), ['C', 'D', 'M', 'N', 'X', 'E']);
  t.is(records[0]!.data.toString('latin1').trim().split(/ +/)[1], String(dataAt));
  t.is(records[0]!.data.length, 95);
  t.is(recPadPayload(9), '      0');
});

/** A file delivered in pieces of the given sizes, as a socket might. */
async function* pieces(bytes: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let pos = 0;
  for (let i = 0; pos < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.subarray(pos, pos + size);
    pos += size;
  }
}

for (const sizes of [[1], [2, 3, 5, 7], [4096], [100000]]) {
  test(`the async record reader gives the same records as the file reader, pieces of ${sizes.join('/')}`, async (t) => {
    for (const file of QUEUE_FILES) {
      const bytes = readFileSync(join(VECTOR_DIR, file));
      const expected = allRecords(new RecordStream(file, bytes)).records;
      const got: Array<{ type: number; data: Buffer }> = [];
      for await (const r of readRecordsAsync(pieces(bytes, sizes), file)) got.push(r);
      t.deepEqual(got, expected, file);
    }
  });
}

test('the async record reader ends with an error on damaged input, and on a record over the limit', async (t) => {
  const whole = readFileSync(join(VECTOR_DIR, 'incoming/5A8DD20E6FB'));
  warnings.length = 0;
  const cut: number[] = [];
  for await (const r of readRecordsAsync(pieces(whole.subarray(0, 300), [7]), 'cut')) cut.push(r.type);
  t.is(cut[cut.length - 1], REC_TYPE_ERROR);
  t.regex(warnings.join('\n'), /cut: unexpected EOF in data, record type 78 length 58/);
  const limited: number[] = [];
  for await (const r of readRecordsAsync(pieces(whole, [50]), 'limited', 60)) limited.push(r.type);
  t.deepEqual(limited, [REC_TYPE_ERROR]);
  t.regex(warnings.join('\n'), /limited: illegal length 95, record type 67/);
});
