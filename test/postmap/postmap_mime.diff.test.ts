/*
 * "postmap -q - -m/-h/-b": messages through the MIME state machine (global/mime_state.ts),
 * ours against the reference. Every key is found in a static: table, so the output lists
 * every header and body line as the state machine cut them; with -v, the boundary stack
 * (PUSH/POP), header tokens and "garbage in header" decisions are compared as well.
 */
import test from 'ava';
import { requireRoot, runOurs, runReference, type RunResult } from '../helpers/diff.js';
import { sameResult, tableDir } from './_tables.js';
import { MESSAGES, NESTED } from '../global/_mime_messages.js';

/* -m -h -b sees every key; the others differ in what they leave out, or stop early. */
const FLAGS = [['-m', '-h', '-b'], ['-m', '-b'], ['-h', '-b'], ['-h']];

test('MIME keys from awkward messages', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  for (const input of Object.values(MESSAGES)) {
    await Promise.all(FLAGS.map((flags) => sameResult(t, tables, 'postmap', [...flags, '-q', '-', 'static:hit'], { input })));
  }
  // -m finds the headers of the attached message; without -m they are body lines.
  const [, ref] = await sameResult(t, tables, 'postmap', ['-m', '-h', '-q', '-', 'static:hit'], { input: NESTED });
  t.true(ref.stdout.includes('Subject: the attached message\thit\n'));
  await sameResult(t, tables, 'postmap', ['-m', '-h', '-b', '-U', '-q', '-', 'static:hit'], { input: MESSAGES.eightBit });
  await sameResult(t, tables, 'postmap', ['-m', '-q', '-', 'static:hit'], { input: NESTED });
});

test('MIME keys with small header, boundary and nesting limits', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t, 'header_size_limit = 200\nmime_boundary_length_limit = 20\nmime_nesting_limit = 2\n');
  await Promise.all(['nested', 'longHeaders', 'longBoundary', 'deep'].map((name) =>
    sameResult(t, tables, 'postmap', ['-m', '-h', '-b', '-q', '-', 'static:hit'], { input: MESSAGES[name] })));
});

test('MIME state machine decisions (-v: boundaries pushed and popped, header tokens, garbage)', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t, 'mime_nesting_limit = 3\n');
  // Only the MIME engine's lines: the reference's -v also logs main.cf processing.
  const engine = /PUSH|POP|garbage in|header_token|static:hit|fatal|warning/;
  const keep = (r: RunResult) => ({ ...r, stderr: r.stderr.split('\n').filter((l) => engine.test(l)).join('\n') });
  const args = ['-c', tables.dir, '-v', '-m', '-h', '-b', '-q', '-', 'static:hit'];
  await Promise.all(['nested', 'missingInner', 'unterminated', 'digest', 'messages', 'multipleBoundaries', 'oddContentType', 'deep',
    'garbageInPart'].map(async (name) => {
    const input = MESSAGES[name];
    const [ours, ref] = await Promise.all([runOurs('postmap', args, { input }), runReference('postmap', args, { input })]);
    t.deepEqual(keep(ours), keep(ref), name);
  }));
});

test('message_drop_headers does not change what postmap looks up', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t, 'message_drop_headers = x-drop, content-type\n');
  await sameResult(t, tables, 'postmap', ['-m', '-h', '-b', '-q', '-', 'static:hit'], { input: NESTED });
});
