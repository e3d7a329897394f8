/*
 * attr_driver - run attribute lists through our codecs and through the reference's
 * (test/util/attr_driver.c linked to the reference libpostfix-util.so), with the same
 * command line, and get { stdout, stderr } from each for comparison.
 * The command line language is described in attr_driver.c. Our side runs in-process and
 * captures msg output, so tests that use it must be serial.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  recvAttrData, recvAttrHash, recvAttrInt, recvAttrLong, recvAttrStr, recvAttrStreq, sendAttrData,
  sendAttrHash, sendAttrInt, sendAttrLong, sendAttrStr, type RecvAttr, type SendAttr,
} from '../../src/util/attr.js';
import { encodeAttr0 } from '../../src/util/attr_print0.js';
import { encodeAttr64 } from '../../src/util/attr_print64.js';
import { encodeAttrPlain } from '../../src/util/attr_print_plain.js';
import { attrScan0, attrScanMore0 } from '../../src/util/attr_scan0.js';
import { attrScan64, attrScanMore64 } from '../../src/util/attr_scan64.js';
import { attrScanPlain, attrScanMorePlain } from '../../src/util/attr_scan_plain.js';
import { msg } from '../../src/util/msg.js';
import { AsyncVStream } from '../../src/util/vstream_async.js';
import { startMsgCapture, stopMsgCapture } from './msg_capture.js';
import { TOP, REFERENCE_ROOT } from './paths.js';

export type Encoding = '0' | '64' | 'plain';
export interface DriverOutput {
  stdout: string;
  stderr: string;
}

/** Hex of a byte string, as the driver's command line wants names and values. */
export const hex = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text, 'latin1') : text).toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex').toString('latin1');

let compiled: string | undefined;

/** Build the reference driver once per test process. */
export function referenceDriver(): string {
  if (compiled !== undefined) return compiled;
  const lib = join(REFERENCE_ROOT, 'usr/lib/postfix');
  const out = join(mkdtempSync(join(tmpdir(), 'attr-driver-')), 'attr_driver');
  execFileSync(process.env.CC || 'cc', ['-O0', '-w', '-o', out, join(TOP, 'test/util/attr_driver.c'),
    `-L${lib}`, '-lpostfix-util', `-Wl,-rpath,${lib}`]);
  compiled = out;
  return out;
}

export function runReferenceDriver(args: readonly string[], input = ''): Promise<DriverOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(referenceDriver(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', () => resolve({
      stdout: Buffer.concat(out).toString('latin1'),
      stderr: Buffer.concat(err).toString('latin1'),
    }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.from(input, 'latin1'));
  });
}


/** Split the command line into groups at "--". */
function groups(args: readonly string[]): string[][] {
  const all: string[][] = [[]];
  for (const arg of args) {
    if (arg === '--') all.push([]);
    else all[all.length - 1]!.push(arg);
  }
  return all.filter((g) => g.length > 0);
}

function sendItem(item: string): SendAttr {
  const [kind, name = '', arg = ''] = item.split(':');
  switch (kind) {
    case 'i': return sendAttrInt(unhex(name), Number(arg));
    case 'l': return sendAttrLong(unhex(name), BigInt(arg));
    case 's': return sendAttrStr(unhex(name), unhex(arg));
    case 'd': return sendAttrData(unhex(name), Buffer.from(arg, 'hex'));
    case 'h': {
      const body = item.slice(2);
      const pairs = body === '' ? [] : body.split(',').map((kv) => kv.split('=').map(unhex) as [string, string]);
      return sendAttrHash(pairs);
    }
    default: throw new Error(`bad print item ${item}`);
  }
}

function recvItem(item: string): RecvAttr {
  const [kind, name = '', arg = ''] = item.split(':');
  switch (kind) {
    case 'i': return recvAttrInt(unhex(name));
    case 'l': return recvAttrLong(unhex(name));
    case 's': return recvAttrStr(unhex(name));
    case 'd': return recvAttrData(unhex(name));
    case 'q': return recvAttrStreq(unhex(name), unhex(arg));
    case 'h': return recvAttrHash();
    default: throw new Error(`bad scan item ${item}`);
  }
}

function formatValue(want: RecvAttr, value: unknown): string | null {
  switch (want.type) {
    case 1: return `i ${value as number}`;
    case 4: return `l ${value as number}`;
    case 2: return `s ${hex(value as string)}`;
    case 5: return `d ${hex(value as Buffer)}`;
    case 3: return `h${[...(value as Map<string, string>)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => ` ${hex(k)}=${hex(v)}`).join('')}`;
    default: return null;
  }
}

const PRINTERS = { '0': encodeAttr0, '64': encodeAttr64, plain: encodeAttrPlain };
const SCANNERS = { '0': attrScan0, '64': attrScan64, plain: attrScanPlain };
const MORE = { '0': attrScanMore0, '64': attrScanMore64, plain: attrScanMorePlain };

/**
 * Our codecs on the same command line. The input arrives in chunks of chunkSize bytes, to
 * exercise reads that stop in the middle of a token.
 */
export async function runOurDriver(args: readonly string[], input = '', chunkSize = 0): Promise<DriverOutput> {
  const [mode, encoding, verbose, ...rest] = args as [string, Encoding, string, ...string[]];
  const stderr = startMsgCapture('attr_driver');
  msg.verbose = Number(verbose);
  const stdout: string[] = [];
  try {
    if (mode === 'print') {
      for (const [flags, ...items] of groups(rest)) {
        stdout.push(PRINTERS[encoding](Number(flags), items.map(sendItem)));
      }
    } else {
      const bytes = Buffer.from(input, 'latin1');
      const chunks: Buffer[] = [];
      const step = chunkSize > 0 ? chunkSize : Math.max(1, bytes.length);
      for (let i = 0; i < bytes.length; i += step) chunks.push(bytes.subarray(i, i + step));
      const stream = new AsyncVStream(Readable.from(chunks), null, { path: 'test input' });
      for (const [flags, ...items] of groups(rest)) {
        if (flags === 'more') {
          stdout.push(`more ${await MORE[encoding](stream)}\n`);
          continue;
        }
        const wants = items.map(recvItem);
        const { count, values } = await SCANNERS[encoding](stream, Number(flags), wants);
        stdout.push(`count ${count}\n`);
        if (count >= 0) {
          wants.forEach((want, i) => {
            const line = formatValue(want, (values as unknown[])[i]);
            if (line !== null) stdout.push(`${line}\n`);
          });
        }
      }
    }
  } finally {
    msg.verbose = 0;
    stopMsgCapture();
  }
  return { stdout: stdout.join(''), stderr: stderr.join('') };
}
