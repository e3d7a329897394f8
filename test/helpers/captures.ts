/*
 * captures - read the reference byte captures in test/fixtures/protocols (copied from
 * ../shared/reference/vectors/protocols, see the README there): raw .bin files, and the
 * transcripts that show chunks as Python bytes literals or strace C strings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOP } from './paths.js';

export const CAPTURE_DIR = join(TOP, 'test/fixtures/protocols');

/** A capture file as a byte string. */
export function readCapture(name: string): string {
  return readFileSync(join(CAPTURE_DIR, name)).toString('latin1');
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', v: '\v', f: '\f', a: '\x07', b: '\b', '\\': '\\', "'": "'", '"': '"' };

/** The bytes of a Python bytes literal such as b'a\x00b'. */
export function parsePythonBytes(literal: string): string {
  const m = /^b(['"])(.*)\1$/s.exec(literal.trim());
  if (m === null) throw new Error(`not a bytes literal: ${literal.slice(0, 40)}`);
  return m[2]!.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_all, esc: string) =>
    esc.startsWith('x') && esc.length === 3 ? String.fromCharCode(parseInt(esc.slice(1), 16)) : SIMPLE_ESCAPES[esc] ?? `\\${esc}`);
}

/** The bytes of a C string literal as strace prints it: octal escapes of up to three digits. */
export function parseStraceString(literal: string): string {
  const m = /^"(.*)"$/s.exec(literal.trim());
  if (m === null) throw new Error(`not a C string: ${literal.slice(0, 40)}`);
  return m[1]!.replace(/\\([0-7]{1,3}|.)/g, (_all, esc: string) =>
    /^[0-7]/.test(esc) ? String.fromCharCode(parseInt(esc, 8)) : SIMPLE_ESCAPES[esc] ?? esc);
}

export interface TranscriptLine {
  /** The words before the bytes literal: "rewrite SEND", "send", "HELLO" ... */
  label: string[];
  bytes: string;
  /** The chunk ended with the peer closing the connection ("<EOF>" in the transcript). */
  eof: boolean;
}

/** The lines of a Python-style transcript that carry bytes (comments and others left out). */
export function readTranscript(name: string): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const line of readCapture(name).split('\n')) {
    const m = /^([^#]*?)\s*(b'.*'|b".*")$/.exec(line);
    if (m === null) continue;
    let literal = m[2]!;
    let eof = false;
    if (literal.endsWith("<EOF>'")) {
      literal = `${literal.slice(0, -6)}'`;
      eof = true;
    }
    lines.push({ label: m[1]!.split(/\s+/).filter((w) => w !== ''), bytes: parsePythonBytes(literal), eof });
  }
  return lines;
}
