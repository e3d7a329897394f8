/*
 * queue_file: files our library writes, read by the REFERENCE postcat (-v, and -e -h -b),
 * give the same output as the reference's own file for the same message. Submitted files:
 * the reference's sendmail/postdrop writes one per message into a private maildrop; ours
 * goes into every queue, flat and hashed, short and long IDs. Queued (cleanup format)
 * files: each reference-made vector is read strictly, written again by us, and compared.
 * Only queue IDs and paths differ; arrival and create times are taken from the reference file.
 */
import test from 'ava';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runReference, type RunResult } from '../helpers/diff.js';
import { SPECS, privateInstance } from '../helpers/queue_messages.js';
import { startCleanupInstance, submitAll } from '../helpers/ref_instance.js';
import { VECTOR_DIR, vectorFiles, withoutConfigChatter } from '../helpers/queue_vectors.js';
import { writeQueuedMessage, writeSubmittedMessage, readQueuedMessage, type SubmittedMessage } from '../../src/global/queue_file.js';
import { REC_FLAG_NONE, RecordStream, recGetRaw } from '../../src/global/record.js';
import { msgOutputAdd } from '../../src/util/msg.js';
import { MAIL_QUEUE_STAT_READY, type QueueLayout } from '../../src/global/mail_queue.js';

/* Where our copy goes: every queue postcat -q searches, plus corrupt (read by path). */
const QUEUES = ['maildrop', 'incoming', 'active', 'deferred', 'hold', 'saved', 'corrupt'];

/** The queue path in postcat's markers is the one thing allowed to differ. */
function withoutPath(r: RunResult, path: string): RunResult {
  const cut = (s: string) => s.split(path).join('QUEUE-FILE');
  return { stdout: cut(r.stdout), stderr: cut(withoutConfigChatter(r.stderr)), status: r.status };
}

async function postcatBoth(t: import('ava').ExecutionContext, ref: { config: string; path: string; cwd: string }, ours: { config: string; path: string; cwd: string }) {
  for (const options of [['-v'], ['-e', '-h', '-b'], ['-vod']]) {
    const [a, b] = await Promise.all([
      runReference('postcat', [...options, ref.path], { cwd: ref.cwd, env: { MAIL_CONFIG: ref.config } }),
      runReference('postcat', [...options, ours.path], { cwd: ours.cwd, env: { MAIL_CONFIG: ours.config } }),
    ]);
    t.is(a.status, 0, a.stderr);
    t.deepEqual(withoutPath(b, ours.path), withoutPath(a, ref.path), `postcat ${options.join(' ')}`);
  }
}

test('there are at least 25 different submitted messages', (t) => {
  t.true(SPECS.length >= 25);
  t.is(new Set(SPECS.map((s) => s.name)).size, SPECS.length);
});

SPECS.forEach((spec, index) => {
  test(`reference postcat reads our maildrop-format file like the reference's: ${spec.name}`, async (t) => {
    if (!requireRoot(t)) return;
    const ref = privateInstance(t);
    const before = new Set(readdirSync(join(ref.spool, 'maildrop')));
    const input = typeof spec.text === 'string' ? Buffer.from(spec.text, 'latin1') : spec.text;
    const sent = await runReference('sendmail', ['-C', ref.config, ...spec.args, ...spec.rcpt], { input, env: { MAIL_CONFIG: ref.config } });
    t.is(sent.status, 0, sent.stderr);
    const made = readdirSync(join(ref.spool, 'maildrop')).filter((n) => !before.has(n));
    t.is(made.length, 1);
    const refId = made[0]!;
    const refBytes = readFileSync(join(ref.spool, 'maildrop', refId));
    // Same arrival time as the reference's file (postdrop's clock).
    const [sec, usec] = refBytes.subarray(2, 2 + refBytes[1]!).toString('latin1').split(' ').map(Number);

    const queue = QUEUES[index % QUEUES.length]!;
    const layout: QueueLayout = { hashQueueNames: ['deferred', 'defer', 'hold'], hashQueueDepth: 1 + (index % 3), longQueueIds: index % 2 === 1 };
    const ours = privateInstance(t, `hash_queue_names = deferred, defer, hold\nhash_queue_depth = ${layout.hashQueueDepth}\n`);
    mkdirSync(join(ours.spool, queue), { recursive: true });
    const senderIndex = spec.args.indexOf('-f');
    const fullIndex = spec.args.indexOf('-F');
    const model: SubmittedMessage = {
      arrival: { sec: sec!, usec: usec! },
      sender: senderIndex >= 0 ? spec.args[senderIndex + 1]!.replace(/^<>$/, '') : 'root',
      fullName: fullIndex >= 0 ? spec.args[fullIndex + 1] : undefined,
      recipients: spec.rcptFinal ?? spec.rcpt,
      text: input,
      stopAtDot: !spec.args.includes('-i'),
      ...spec.model,
    };
    const written = writeSubmittedMessage(ours.spool, layout, queue, model);
    t.is(statSync(join(ours.spool, written.path)).mode & 0o777, 0o744, 'complete maildrop file mode');
    t.true(written.queueId.length >= (layout.longQueueIds ? 15 : 10));

    // The reference finds our file by queue ID where it looks for one, or by name in corrupt/.
    const oursArg = queue === 'corrupt' ? { path: written.path, cwd: ours.spool } : { path: written.queueId, cwd: ours.spool };
    if (queue === 'corrupt') {
      await postcatBoth(t, { config: ref.config, path: `maildrop/${refId}`, cwd: ref.spool }, { config: ours.config, ...oursArg });
    } else {
      await postcatQueueBoth(t, { config: ref.config, id: refId, path: `maildrop/${refId}` }, { config: ours.config, id: written.queueId, path: written.path });
    }
  });
});

async function postcatQueueBoth(t: import('ava').ExecutionContext, ref: { config: string; id: string; path: string }, ours: { config: string; id: string; path: string }) {
  for (const options of [['-v'], ['-e', '-h', '-b'], ['-vod']]) {
    const [a, b] = await Promise.all([
      runReference('postcat', ['-q', ...options, ref.id], { env: { MAIL_CONFIG: ref.config } }),
      runReference('postcat', ['-q', ...options, ours.id], { env: { MAIL_CONFIG: ours.config } }),
    ]);
    t.is(a.status, 0, a.stderr);
    t.deepEqual(withoutPath(b, ours.path), withoutPath(a, ref.path), `postcat -q ${options.join(' ')}`);
  }
}

/* Cleanup-format vectors, with and without milter placeholders. */
const QUEUED_VECTORS = vectorFiles().filter((f) => /^(incoming|incoming-milter|incoming-requeued|hold|deferred|active)\//.test(f));

QUEUED_VECTORS.forEach((file, index) => {
  test(`reference postcat reads our queued-format copy of ${file} like the original`, async (t) => {
    if (!requireRoot(t)) return;
    const stream = RecordStream.open(join(VECTOR_DIR, file));
    if (typeof stream === 'string') return t.fail(stream);
    const model = readQueuedMessage(stream);
    if (model === null) return t.fail('the strict reader refused a reference-made file');
    const queue = ['incoming', 'active', 'deferred', 'hold', 'corrupt'][index % 5]!;
    const layout: QueueLayout = { hashQueueNames: ['deferred', 'defer'], hashQueueDepth: 1 + (index % 2), longQueueIds: index % 3 === 0 };
    const ours = privateInstance(t, `hash_queue_depth = ${layout.hashQueueDepth}\n`);
    mkdirSync(join(ours.spool, queue), { recursive: true });
    const written = writeQueuedMessage(ours.spool, layout, queue, model);
    const st = statSync(join(ours.spool, written.path));
    t.is(st.mode & 0o777, MAIL_QUEUE_STAT_READY);
    // Byte for byte, too: nothing in a cleanup-format file depends on its queue ID.
    t.deepEqual(readFileSync(join(ours.spool, written.path)), readFileSync(join(VECTOR_DIR, file)));
    const ref = { config: ours.config, path: file, cwd: VECTOR_DIR };
    await postcatBoth(t, ref, { config: ours.config, path: written.path, cwd: ours.spool });
  });
});

test('the strict reader refuses damaged queued files and says why', (t) => {
  const warnings: string[] = [];
  msgOutputAdd((_level, text) => warnings.push(text));
  const whole = readFileSync(join(VECTOR_DIR, 'incoming/5A8DD20E6FB'));
  let refused = 0;
  for (let cut = 1; cut < whole.length; cut++) {
    if (readQueuedMessage(new RecordStream(`cut${cut}`, whole.subarray(0, cut))) === null) refused++;
  }
  t.is(refused, whole.length - 1, 'every truncation is refused');
  const wrongType = Buffer.from(whole);
  wrongType[97] = 0x4e; // the T record becomes a text record inside the envelope
  t.is(readQueuedMessage(new RecordStream('wrong', wrongType)), null);
  const wrongSize = Buffer.from(whole);
  wrongSize[2 + 14] = 0x38; // first size field 349 -> 348
  t.is(readQueuedMessage(new RecordStream('size', wrongSize)), null);
  t.regex(warnings.join('\n'), /wrong: record type 78 not allowed in the envelope segment/);
  t.regex(warnings.join('\n'), /size: size record does not match the content segment/);
  t.regex(warnings.join('\n'), /cut1: unexpected EOF reading length, record type 67/);
});

test('our copies of cleanup files the reference makes now are the same bytes and read the same', async (t) => {
  if (!requireRoot(t)) return;
  const inst = await startCleanupInstance(t);
  const made = await submitAll(t, inst, SPECS);
  t.is(made.length, SPECS.length, 'every submitted message reached incoming/');
  const ours = privateInstance(t, 'hash_queue_depth = 2\nenable_long_queue_ids = yes\n');
  const pairs: Array<[string, string]> = [];
  made.forEach((id, i) => {
    const file = join(inst.spool, 'incoming', id);
    const model = readQueuedMessage(new RecordStream(file, readFileSync(file)));
    if (model === null) return t.fail(`the strict reader refused ${id}`);
    const queue = ['incoming', 'active', 'deferred', 'hold'][i % 4]!;
    mkdirSync(join(ours.spool, queue), { recursive: true });
    const written = writeQueuedMessage(ours.spool, { hashQueueNames: ['deferred', 'defer'], hashQueueDepth: 2, longQueueIds: true }, queue, model);
    // Record by record first (a readable difference), then byte for byte.
    t.deepEqual(recordList(join(ours.spool, written.path)), recordList(file), id);
    t.deepEqual(readFileSync(join(ours.spool, written.path)), readFileSync(file), id);
    pairs.push([`incoming/${id}`, written.path]);
  });
  for (const [refPath, ourPath] of pairs) {
    await postcatBoth(t, { config: inst.config, path: refPath, cwd: inst.spool }, { config: ours.config, path: ourPath, cwd: ours.spool });
  }
});

/** A file as "offset type payload" lines, payloads cut at 200 bytes. */
function recordList(path: string): string[] {
  const stream = new RecordStream(path, readFileSync(path));
  const out: string[] = [];
  for (;;) {
    const at = stream.tell();
    const r = recGetRaw(stream, 0, REC_FLAG_NONE);
    if (r.type < 0) return out;
    out.push(`${at} ${String.fromCharCode(r.type)} ${r.data.toString('latin1').slice(0, 200)}`);
  }
}
