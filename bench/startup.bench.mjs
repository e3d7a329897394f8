#!/usr/bin/env node
// Start-up cost of a command: our launcher, Node and a program's modules, against the
// reference Postfix binary, and the floor of a bare Node start. Both sides are timed to the
// first byte of their usage message on a bad option, so the one-second pause that every
// fatal error makes (in Postfix too) is left out.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const refRoot = join(resolve(process.env.POSTFIX_REFERENCE_DIR ?? join(top, '.cache', 'reference')), 'root');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

/** Milliseconds from spawn to the first byte of output on stderr (the usage message). */
function timeToFirstOutput(file, args) {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let done = false;
    child.stderr.once('data', () => {
      done = true;
      resolvePromise(Number(process.hrtime.bigint() - start) / 1e6);
      child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', () => { if (!done) resolvePromise(Number(process.hrtime.bigint() - start) / 1e6); });
  });
}

async function median(file, args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeToFirstOutput(file, args));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const ours = join(top, 'dist', 'bin', 'postconf');
const ref = join(refRoot, 'usr', 'sbin', 'postconf');
for (const p of [ours, ref]) if (!existsSync(p)) { console.error(`bench: missing ${p}`); process.exit(1); }
const floor = await (async () => {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await new Promise((r) => spawn(process.execPath, ['-e', 'process.stderr.write("x")'], { stdio: 'ignore' }).on('close', r));
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
})();
const o = await median(ours, ['-Z']);
const r = await median(ref, ['-Z']);
console.log(`postconf -Z, time to the usage message (median of ${RUNS}):`);
console.log(`  ours ${o.toFixed(1)} ms   reference ${r.toFixed(1)} ms   ratio ${(o / r).toFixed(1)}x`);
console.log(`  floor: bare node start ${floor.toFixed(1)} ms (ours minus floor: ${(o - floor).toFixed(1)} ms)`);
