/*
 * msg_syslog: the records that reach /dev/log (a socket of ours, in a private mount
 * namespace), from our postmap against the reference postmap, and from msg itself for
 * each severity, a changed facility, a tag with a pid in it, and a long text.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireRoot, tempDir } from '../helpers/diff.js';
import { DevLog } from '../helpers/devlog.js';
import { DIST, ourCommand, referenceCommand } from '../helpers/paths.js';

const LOG_MAIL = 2 << 3;
const LOG_LOCAL3 = 19 << 3;

test('postmap -Z: our syslog record is the reference one, apart from time and pid', async (t) => {
  if (!requireRoot(t)) return;
  const log = new DevLog(t);
  const ours = await log.run(ourCommand('postmap'), ['-Z']);
  const oursLog = log.records();
  const ref = await log.run(referenceCommand('postmap'), ['-Z']);
  const refLog = log.records();
  t.is(refLog.length, 1);
  t.deepEqual(
    oursLog.map(({ pid: _pid, ...rest }) => rest),
    refLog.map(({ pid: _pid, ...rest }) => rest),
  );
  t.true(oursLog.every((r) => r.pid !== null));
  t.like(refLog[0], { priority: LOG_MAIL | 2, tag: 'postfix/postmap' });
  t.regex(refLog[0]!.text, /^fatal: usage: postmap /);
  t.deepEqual(ours, ref); // and the same on stderr, with the same exit status
});

test('MAIL_LOGTAG changes the syslog tag of both', async (t) => {
  if (!requireRoot(t)) return;
  const log = new DevLog(t);
  await log.run(ourCommand('postmap'), ['-Z'], { MAIL_LOGTAG: 'other' });
  const ours = log.records();
  await log.run(referenceCommand('postmap'), ['-Z'], { MAIL_LOGTAG: 'other' });
  const ref = log.records();
  t.is(ref[0]!.tag, 'other/postmap');
  t.is(ours[0]!.tag, ref[0]!.tag);
});

test('msg_syslog: severities, prefixes, facility, a pid in the tag, and the 2000-byte cut', async (t) => {
  if (!requireRoot(t)) return;
  const module = (name: string) => JSON.stringify(pathToFileURL(join(DIST, 'src/util', `${name}.js`)).href);
  const script = join(tempDir(t), 'logger.mjs');
  writeFileSync(script, `
import { msg } from ${module('msg')};
import { msgSyslogInit, msgSyslogSetFacility, msgSyslogDisable, LOG_PID, LOG_MAIL } from ${module('msg_syslog')};
msgSyslogInit('test/logger', LOG_PID, LOG_MAIL);
msg.info('an info');
msg.warn('a warning');
msg.error('an error');
msgSyslogDisable();
msg.warn('not logged');
msgSyslogInit('test/logger', LOG_PID, LOG_MAIL);
if (msgSyslogSetFacility('no-such-facility')) throw new Error('accepted a bad facility');
msgSyslogSetFacility('local3');
msg.warn('x'.repeat(2500));
msgSyslogInit('forwarded[42]', LOG_PID, LOG_MAIL);
msg.info('keeps its own pid');
msg.fatal('the end');
`);
  const log = new DevLog(t);
  const run = await log.run(process.execPath, [script]);
  t.is(run.status, 1);
  t.is(run.stderr, '', 'syslog is the only output');
  const records = log.records();
  const pid = records[0]!.pid;
  t.not(pid, null);
  t.deepEqual(records, [
    { priority: LOG_MAIL | 6, tag: 'test/logger', pid, text: 'an info' },
    { priority: LOG_MAIL | 4, tag: 'test/logger', pid, text: 'warning: a warning' },
    { priority: LOG_MAIL | 3, tag: 'test/logger', pid, text: 'error: an error' },
    { priority: LOG_LOCAL3 | 4, tag: 'test/logger', pid, text: `warning: ${'x'.repeat(2000)}` },
    { priority: LOG_LOCAL3 | 6, tag: 'forwarded', pid: 42, text: 'keeps its own pid' },
    { priority: LOG_LOCAL3 | 2, tag: 'forwarded', pid: 42, text: 'fatal: the end' },
  ]);
});
