#!/usr/bin/env node
// "npm test": runs the whole AVA suite under c8 (coverage of the tests and of every
// program they start, through NODE_V8_COVERAGE) with TAP output, passes the output
// through, prints the coverage summary, and ends with the plain line CI reads:
// "N passed, N failed, N skipped". The exit status is AVA's.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(top, 'node_modules', '.bin', name);
const extra = process.argv.slice(2); // e.g. a file pattern: npm test -- dist/test/util/*.js

// Programs under test give up root (postsuper, postmap, daemons) and must still be able
// to write their coverage: a fresh world-writable, sticky directory that any user can reach.
const coverageTemp = mkdtempSync(join(tmpdir(), 'pf-coverage-'));
chmodSync(coverageTemp, 0o1777);

const child = spawn(bin('c8'), [
  '--reporter=text-summary', '--reporter=html', '--report-dir=coverage',
  `--temp-directory=${coverageTemp}`, '--clean=false',
  '--include=src/**', '--include=dist/src/**', '--exclude-after-remap', '--exclude=dist/test/**',
  bin('ava'), '--tap', ...extra,
], { cwd: top, stdio: ['ignore', 'pipe', 'inherit'] });

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = createInterface({ input: child.stdout });
lines.on('line', (line) => {
  process.stdout.write(`${line}\n`);
  const m = /^(not ok|ok) \d+ /.exec(line);
  if (!m) return;
  if (/# (SKIP|TODO)\b/.test(line)) skipped++;
  else if (m[1] === 'ok') passed++;
  else failed++;
});
child.on('close', (code, signal) => {
  const status = code ?? (signal ? 1 : 0);
  // AVA reports a crashed or timed-out file outside the per-test lines: count it.
  if (status !== 0 && failed === 0) failed = 1;
  rmSync(coverageTemp, { recursive: true, force: true });
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exit(status);
});
