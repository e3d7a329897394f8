/*
 * discard in stand-alone mode on delivery requests written by the test, ours against the
 * reference (see helpers/agent_request.ts): replies, log lines, queue file updates.
 */
import test from 'ava';
import { compareAgents, rcpt, request } from '../helpers/agent_request.js';

test('discard: every recipient sent, marked done in the queue file', async (t) => {
  const ref = await compareAgents(t, 'discard', [], request(1, 'example.net', [rcpt('bob@example.net', 10), rcpt('"c d"@example.net', 20, 'carol@example.net')]));
  t.regex(ref.stderr, /to=<bob@example.net>, relay=none, delay=D, delays=D, dsn=2.0.0, status=sent \(example.net\)/);
  t.is(ref.queueFile, 'xxxxxxxxxxDxxxxxxxxxDxxxxxxxxx');
});

test('discard: without DEL_REQ_FLAG_SUCCESS the queue file is left alone; a status code in the next hop', async (t) => {
  await compareAgents(t, 'discard', [], request(0, '2.7.1 spam, dropped', [rcpt('bob@example.net', 10)]));
});

test('discard: a missing queue file gives status -1 (defer)', async (t) => {
  await compareAgents(t, 'discard', [], request(1, 'example.net', [rcpt('bob@example.net', 10)]), false);
});

test('discard: a request without recipients', async (t) => {
  await compareAgents(t, 'discard', [], request(1, 'example.net', []));
});

test('discard: a malformed request', async (t) => {
  await compareAgents(t, 'discard', [], 'flags\x001\x00queue_name\x00active\x00\x00');
});

test('discard: an unexpected command-line argument', async (t) => {
  await compareAgents(t, 'discard', ['surplus'], request(1, 'example.net', [rcpt('bob@example.net', 10)]), true, false);
});
