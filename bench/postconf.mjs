#!/usr/bin/env node
/*
 * bench/postconf - time our postconf against the reference, side by side.
 * Runs each invocation N times (BENCH_RUNS, default 20) on a private copy of the stock
 * main.cf and master.cf, and prints the median wall time of each side, their ratio, and
 * the floor any Node program pays: a bare "node -e 0" start.
 * Usage: node bench/postconf.mjs   (build first; POSTFIX_REFERENCE_DIR as for the tests)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOP = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REF_ROOT = join(resolve(process.env.POSTFIX_REFERENCE_DIR ?? join(TOP, '.cache', 'reference')), 'root');
const OURS = join(TOP, 'dist', 'bin', 'postconf');
const REFERENCE = join(REF_ROOT, 'usr', 'sbin', 'postconf');
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

const conf = mkdtempSync(join(tmpdir(), 'pf-bench-'));
copyFileSync(join(REF_ROOT, 'usr/share/postfix/main.cf.dist'), join(conf, 'main.cf'));
copyFileSync(join(REF_ROOT, 'usr/share/postfix/master.cf.dist'), join(conf, 'master.cf'));

function medianMs(file, args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`${file} ${args.join(' ')}: exit ${run.status}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const cases = [
  ['-d', ['-c', conf, '-d']],
  ['-n', ['-c', conf, '-n']],
  ['(all)', ['-c', conf]],
  ['-h name', ['-c', conf, '-h', 'mail_version']],
  ['-M', ['-c', conf, '-M']],
];
const floor = medianMs(process.execPath, ['-e', '0']);
console.log(`runs per case: ${RUNS}; node -e 0 floor: ${floor.toFixed(1)} ms`);
console.log('case        ours ms   reference ms   ratio   ours minus floor');
for (const [name, args] of cases) {
  const ours = medianMs(OURS, args);
  const ref = medianMs(REFERENCE, args);
  console.log(`${name.padEnd(10)} ${ours.toFixed(1).padStart(8)} ${ref.toFixed(1).padStart(14)} ${(ours / ref).toFixed(1).padStart(7)}x ${(ours - floor).toFixed(1).padStart(12)}`);
}
rmSync(conf, { recursive: true, force: true });
