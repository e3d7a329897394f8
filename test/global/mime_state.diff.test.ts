/*
 * mime_state: our MIME state machine against the reference's (libpostfix-global.so, run
 * by test/global/mime_state_driver.c), on the same records, options and limits: every
 * callback with its header class, offset and text, the downgrade to quoted-printable, the
 * error reports, the final error flags, and with verbose logging the boundary stack.
 */
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msg } from '../../src/util/msg.js';
import { REC_TYPE_CONT, REC_TYPE_END, REC_TYPE_NORM } from '../../src/global/rec_type.js';
import {
  MIME_OPT_DISABLE_MIME, MIME_OPT_DOWNGRADE, MIME_OPT_RECURSE_ALL_MESSAGE, MIME_OPT_REPORT_8BIT_IN_7BIT_BODY,
  MIME_OPT_REPORT_8BIT_IN_HEADER, MIME_OPT_REPORT_ENCODING_DOMAIN, MIME_OPT_REPORT_NESTING, MIME_OPT_REPORT_TRUNC_HEADER,
  MimeState, mimeStateDetail,
} from '../../src/global/mime_state.js';
import { startMsgCapture, stopMsgCapture } from '../helpers/msg_capture.js';
import { REFERENCE_ROOT, TOP } from '../helpers/paths.js';
import { ENCODING_MESSAGES, MESSAGES } from './_mime_messages.js';

interface Run {
  flags: number;
  headerLimit: number;
  maxDepth: number;
  boundLen: number;
  reclen: number;
  verbose: number;
}

let driver: string | undefined;

/** Build the reference driver once per test process. */
function referenceDriver(): string {
  if (driver !== undefined) return driver;
  const lib = join(REFERENCE_ROOT, 'usr/lib/postfix');
  const out = join(mkdtempSync(join(tmpdir(), 'mime-driver-')), 'mime_state_driver');
  execFileSync(process.env.CC || 'cc', ['-O0', '-w', '-o', out, join(TOP, 'test/global/mime_state_driver.c'),
    `-L${lib}`, '-lpostfix-global', '-lpostfix-util', `-Wl,-rpath,${lib}`]);
  driver = out;
  return out;
}

function runReferenceDriver(run: Run, input: string): Promise<{ stdout: string; stderr: string }> {
  const args = [run.flags, run.headerLimit, run.maxDepth, run.boundLen, run.reclen, run.verbose].map(String);
  return new Promise((resolve, reject) => {
    const child = spawn(referenceDriver(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1') }));
    child.stdin.end(Buffer.from(input, 'latin1'));
  });
}

/** The same records through our MimeState, printed as the driver prints them. */
async function runOurs(run: Run, input: string): Promise<{ stdout: string; stderr: string }> {
  const out: string[] = [];
  const bytes = (text: string) => `${text.length}:${text}\n`;
  const stderr = startMsgCapture('mime_state_driver');
  msg.verbose = run.verbose;
  try {
    const mime = new MimeState(run.flags, {
      headOut: (cls, info, header, offset) => void out.push(`HEAD ${cls} ${info?.name ?? '-'} ${offset} ${bytes(header)}`),
      headEnd: () => void out.push('HEADEND\n'),
      bodyOut: (type, text, offset) => void out.push(`BODY ${String.fromCharCode(type)} ${offset} ${bytes(text)}`),
      bodyEnd: () => void out.push('BODYEND\n'),
      errPrint: (type, text) => void out.push(`ERR ${type} ${bytes(text)}`),
    }, { headerLimit: run.headerLimit, maxDepth: run.maxDepth, boundLen: run.boundLen });
    const lines = input.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (let line of lines) {
      while (run.reclen > 0 && line.length > run.reclen) {
        await mime.update(REC_TYPE_CONT, line.slice(0, run.reclen));
        line = line.slice(run.reclen);
      }
      await mime.update(REC_TYPE_NORM, line);
    }
    const errs = await mime.update(REC_TYPE_END, '');
    out.push(`RESULT ${errs} ${errs ? mimeStateDetail(errs).text : '-'}\n`);
    mime.free();
  } finally {
    msg.verbose = 0;
    stopMsgCapture();
  }
  return { stdout: out.join(''), stderr: stderr.join('') };
}

const REPORT_ALL = MIME_OPT_REPORT_8BIT_IN_7BIT_BODY | MIME_OPT_REPORT_8BIT_IN_HEADER | MIME_OPT_REPORT_ENCODING_DOMAIN
  | MIME_OPT_REPORT_TRUNC_HEADER | MIME_OPT_REPORT_NESTING;
const OPTIONS: Record<string, number> = {
  none: 0,
  downgrade: MIME_OPT_DOWNGRADE,
  reports: REPORT_ALL,
  'downgrade+reports': MIME_OPT_DOWNGRADE | REPORT_ALL | MIME_OPT_RECURSE_ALL_MESSAGE,
  disabled: MIME_OPT_DISABLE_MIME | REPORT_ALL,
};
const DEFAULTS = { headerLimit: 102400, maxDepth: 100, boundLen: 2048, reclen: 0, verbose: 0 };
const SMALL = { headerLimit: 200, maxDepth: 2, boundLen: 20, reclen: 0, verbose: 0 };

async function compare(t: import('ava').ExecutionContext, run: Run, name: string, input: string): Promise<void> {
  const ref = await runReferenceDriver(run, input);
  const ours = await runOurs(run, input);
  t.deepEqual(ours, ref, `${name} ${JSON.stringify(run)}`);
}

const ALL = { ...MESSAGES, ...ENCODING_MESSAGES };

test.serial('every option set, default limits', async (t) => {
  for (const [name, input] of Object.entries(ALL)) {
    for (const flags of Object.values(OPTIONS)) await compare(t, { ...DEFAULTS, flags }, name, input);
  }
});

test.serial('small limits: header size, nesting depth, boundary length', async (t) => {
  for (const [name, input] of Object.entries(ALL)) {
    for (const flags of [0, REPORT_ALL, MIME_OPT_DOWNGRADE | REPORT_ALL]) await compare(t, { ...SMALL, flags }, name, input);
  }
});

test.serial('long lines as REC_TYPE_CONT records', async (t) => {
  for (const [name, input] of Object.entries(ALL)) {
    for (const flags of [0, MIME_OPT_DOWNGRADE | REPORT_ALL]) {
      await compare(t, { ...DEFAULTS, reclen: 7, flags }, name, input);
      await compare(t, { ...SMALL, reclen: 30, flags }, name, input);
    }
  }
});

test.serial('verbose logging: boundaries pushed and popped, header tokens, garbage', async (t) => {
  for (const [name, input] of Object.entries(ALL)) {
    await compare(t, { ...DEFAULTS, verbose: 1, flags: MIME_OPT_DOWNGRADE | REPORT_ALL }, name, input);
  }
});
