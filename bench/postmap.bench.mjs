#!/usr/bin/env node
// Building and querying large tables: "postmap" on a source of BENCH_ENTRIES lines (100k by
// default) for each indexed type, and "postmap -q -" of every key, ours against the
// reference Postfix in the same run. Reports medians and ratios, no thresholds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const refRoot = join(resolve(process.env.POSTFIX_REFERENCE_DIR ?? join(top, '.cache', 'reference')), 'root');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100000);
const TYPES = (process.env.BENCH_TYPES ?? 'hash,btree,cdb,lmdb,texthash').split(',');

const ours = join(top, 'dist', 'bin', 'postmap');
const ref = join(refRoot, 'usr', 'sbin', 'postmap');
for (const p of [ours, ref]) if (!existsSync(p)) { console.error(`bench: missing ${p}`); process.exit(1); }

const dir = mkdtempSync(join(tmpdir(), 'postmap-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
// The reference loads cdb and lmdb as plug-ins from its own tree.
writeFileSync(join(dir, 'main.cf'), `meta_directory = ${refRoot}/etc/postfix\nshlib_directory = ${refRoot}/usr/lib/postfix\n`);
const lines = [];
const keys = [];
for (let i = 0; i < ENTRIES; i++) {
  const key = `user${i}@example${i % 977}.com`;
  keys.push(i % 3 === 0 ? key.toUpperCase() : key);
  lines.push(`${key}\tlocal${i}@mailbox.example, alias-${(i * 7919) % ENTRIES}\n`);
}
const source = join(dir, 'source');
writeFileSync(source, lines.join(''));
const queries = keys.slice(0, Math.min(ENTRIES, 20000)).join('\n') + '\n';

function timed(file, args, input) {
  const start = process.hrtime.bigint();
  const r = spawnSync(file, ['-c', dir, ...args], { input, cwd: dir, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && !(args[0] === '-q' && r.status === 1)) {
    console.error(`bench: ${file} ${args.join(' ')}: status ${r.status}: ${r.stderr}`);
    process.exit(1);
  }
  return ms;
}

function median(file, args, input) {
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(timed(file, args, input));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const row = (label, o, r) => console.log(`  ${label.padEnd(28)} ours ${o.toFixed(0).padStart(6)} ms   reference ${r.toFixed(0).padStart(6)} ms   ratio ${(o / r).toFixed(1)}x`);
console.log(`postmap with ${ENTRIES} entries (median of ${RUNS}; queries: ${queries.split('\n').length - 1} keys):`);
for (const type of TYPES) {
  const map = `${type}:${source}`;
  if (type !== 'texthash') {
    const o = median(ours, [map]);
    const r = median(ref, [map]);
    row(`build ${type}`, o, r);
  }
  // Each side queries a table it built itself (the files are compatible, but this keeps
  // the two runs independent of each other's last build).
  if (type !== 'texthash') timed(ref, [map]);
  const rq = median(ref, ['-q', '-', map], queries);
  if (type !== 'texthash') timed(ours, [map]);
  const oq = median(ours, ['-q', '-', map], queries);
  row(`query ${type}`, oq, rq);
}
