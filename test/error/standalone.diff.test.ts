/*
 * error (as "error" and as "retry") in stand-alone mode on delivery requests written by
 * the test, ours against the reference (see helpers/agent_request.ts). No bounce or defer
 * service runs, so the fallbacks and their warnings show too.
 */
import test from 'ava';
import { compareAgents, rcpt, request } from '../helpers/agent_request.js';

test('error: bounce without a bounce service falls back to defer, which also fails', async (t) => {
  const ref = await compareAgents(t, 'error', ['-n', 'error'], request(1, '5.1.1 no such user', [rcpt('bob@example.net', 10)]));
  t.regex(ref.stderr, /warning: connect to private\/bounce: No such file or directory\n/);
  t.regex(ref.stderr, /dsn=4\.3\.0, status=deferred \(bounce or trace service failure\)/);
});

test('retry: defer without a defer service', async (t) => {
  await compareAgents(t, 'error', ['-n', 'retry'], request(1, 'busy', [rcpt('bob@example.net', 10), rcpt('x@example.org', 20)]));
});

test('error: a wrong status class in the next hop is corrected', async (t) => {
  await compareAgents(t, 'error', ['-n', 'retry'], request(1, '5.1.1 not a deferral', [rcpt('bob@example.net', 10)]));
});

test('error: a service name other than error or retry', async (t) => {
  await compareAgents(t, 'error', ['-n', 'other'], request(1, 'x', [rcpt('bob@example.net', 10)]), true, true);
});
