/*
 * queue_messages - messages submitted with the reference sendmail in the tests, each with
 * the sendmail command line and what the resulting maildrop file should hold, and a private
 * queue directory in which the reference sendmail/postdrop can write without a master.
 */
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { ExecutionContext } from 'ava';
import { tempDir } from './diff.js';
import { REF_COMMAND_DIR, REF_DAEMON_DIR } from './paths.js';
import type { SubmittedMessage } from '../../src/global/queue_file.js';

export interface Spec {
  name: string;
  /** sendmail options before the recipients. */
  args: string[];
  /** Command-line recipients as given to sendmail, and as they end up in the file. */
  rcpt: string[];
  rcptFinal?: string[];
  text: string | Buffer;
  model: Partial<SubmittedMessage>;
}

const lines = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join('\n');
const simple = 'From: Alice <alice@example.test>\nTo: bob@remote.example\nSubject: hello\n\nHello Bob,\nthis is a test.\n';

export const SPECS: Spec[] = [
  { name: 'simple', args: ['-f', 'alice@example.test', '-F', 'Alice Tester'], rcpt: ['bob@remote.example'], text: simple, model: {} },
  { name: 'long header line', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: `Subject: ${'x'.repeat(3000)}\n\nbody\n`, model: {} },
  { name: 'long body line', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: `Subject: long\n\n${'y'.repeat(5000)}\nafter\n`, model: {} },
  { name: 'line of exactly 2048', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: `Subject: edge\n\n${'z'.repeat(2048)}\n${'w'.repeat(2047)}\n`, model: {} },
  { name: 'line of exactly 4096', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: `Subject: edge\n\n${'q'.repeat(4096)}\n`, model: {} },
  { name: 'no final newline', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: 'Subject: open end\n\nlast line without newline', model: {} },
  { name: 'long unterminated last line', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: `Subject: open end\n\n${'u'.repeat(2500)}`, model: {} },
  { name: '8-bit latin1 with -B 8BITMIME', args: ['-B', '8BITMIME', '-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: Buffer.from('Subject: caf\xe9\n\nna\xefve r\xe9sum\xe9\n', 'latin1'), model: { encoding: '8bit' } },
  { name: 'UTF-8 header and body', args: ['-B', '7BIT', '-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: Buffer.from('Subject: Grüße aus Köln ✓\n\nUnicode: 日本語テキスト\n', 'utf8'), model: { encoding: '7bit' } },
  { name: 'CRLF line endings', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: 'Subject: crlf\r\n\r\nline one\r\nline two\r\r\n', model: {} },
  { name: 'many recipients', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: Array.from({ length: 60 }, (_, i) => `user${i}@dest${i % 7}.example`), text: simple, model: {} },
  { name: 'DSN notify success,delay', args: ['-N', 'success,delay', '-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example', 'c@remote.example'], text: simple, model: { notify: 10 } },
  { name: 'DSN notify never', args: ['-N', 'never', '-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: simple, model: { notify: 1 } },
  { name: 'DSN ret hdrs and envid', args: ['-R', 'hdrs', '-V', 'ENVID-4711', '-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: simple, model: { retFlags: 2, envelopeId: 'ENVID-4711' } },
  { name: 'DSN ret full, notify failure', args: ['-R', 'full', '-N', 'failure', '-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: simple, model: { retFlags: 1, notify: 4 } },
  { name: 'recipients from headers (-t)', args: ['-t', '-f', 'a@example.test', '-F', 'A'], rcpt: [], text: 'To: b@remote.example, c@remote.example\nCc: d@remote.example\nBcc: e@hidden.example\nSubject: t\n\nbody\n', model: { extracted: ['b@remote.example', 'c@remote.example', 'd@remote.example', 'e@hidden.example'] } },
  { name: '-t with notify and a command-line recipient', args: ['-t', '-N', 'failure,delay', '-f', 'a@example.test', '-F', 'A'], rcpt: ['x@cmdline.example'], text: 'To: b@remote.example\nSubject: t\n\nbody\n', model: { notify: 12, extracted: ['b@remote.example'] } },
  { name: 'empty body', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: '', model: {} },
  { name: 'leading From_ lines', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: 'From alice Sat Nov 21 17:00:00 2026\n>From again\nSubject: from\n\nFrom inside the body stays\n', model: {} },
  { name: 'null sender', args: ['-f', '<>', '-F', 'Mailer'], rcpt: ['b@remote.example'], text: simple, model: { sender: '' } },
  { name: '8-bit full name', args: ['-f', 'a@example.test', '-F', 'Jörg Ändersson'], rcpt: ['b@remote.example'], text: simple, model: { fullName: Buffer.from('Jörg Ändersson').toString('latin1') } },
  { name: 'VERP delimiters', args: ['-XV', '-f', 'list@example.test', '-F', 'List'], rcpt: ['b@remote.example'], text: simple, model: { verpDelimiters: '+=' } },
  { name: 'NUL bytes and control characters', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: Buffer.from('Subject: nul\n\nbefore\0after\n\x01\x02\x7f\n', 'latin1'), model: {} },
  { name: 'big message', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: `Subject: big\n\n${lines(20000, (i) => `line ${i} ${'.'.repeat(i % 90)}`)}\n`, model: {} },
  { name: 'dot lines and blank first line', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: '\n.\n..\nSubject: not a header any more\n', model: {} },
  { name: 'dot lines kept with -i', args: ['-i', '-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: 'Subject: dots\n\n.\n..\nafter the dot\n', model: {} },
  { name: 'header only', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: 'Subject: only a header\nX-Other: value\n', model: {} },
  { name: 'folded headers and white space lines', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: 'Subject: folded\n  continued\n\tand tabbed\nX-Empty:\n\n  indented body\n\t\n', model: {} },
  { name: 'recipient with phrase and quoted local part', args: ['-f', 'a@example.test', '-F', 'A'], rcpt: ['Carol <carol@remote.example>', '"odd user"@remote.example'], rcptFinal: ['carol@remote.example', 'odd user@remote.example'], text: simple, model: {} },
  { name: 'trace flags from -v', args: ['-v', '-f', 'a@example.test', '-F', 'A'], rcpt: ['b@remote.example'], text: simple, model: { traceFlags: 1024 } },
  { name: 'login sender without -f', args: ['-F', 'Root User'], rcpt: ['b@remote.example'], text: simple, model: { sender: 'root' } },
];

export function privateInstance(t: ExecutionContext, extra = ''): { config: string; spool: string } {
  const dir = tempDir(t, 'pf-qf-');
  const config = join(dir, 'etc');
  const spool = join(dir, 'spool');
  for (const sub of [config, spool, join(spool, 'maildrop'), join(spool, 'public'), join(spool, 'pid')]) mkdirSync(sub, { recursive: true });
  chownSync(join(spool, 'maildrop'), uidOf('postfix'), gidOf('postdrop'));
  execFileSync('chmod', ['1730', join(spool, 'maildrop')]);
  writeFileSync(join(config, 'main.cf'), [
    `queue_directory = ${spool}`, `command_directory = ${REF_COMMAND_DIR}`, `daemon_directory = ${REF_DAEMON_DIR}`,
    'myhostname = mail.example.test', 'mail_owner = postfix', 'setgid_group = postdrop', extra, '',
  ].join('\n'));
  return { config, spool };
}

const uidOf = (name: string) => Number(execFileSync('id', ['-u', name]).toString().trim());
const gidOf = (name: string) => Number(execFileSync('getent', ['group', name]).toString().split(':')[2]);

