#!/usr/bin/env node
// "npm run bench": runs every other bench/*.mjs in turn (or those whose names contain an argument). Each benchmark times ours and the
// reference Postfix side by side in the same run and reports ratios (never absolute
// pass/fail thresholds); the reference comes from tools/oracle.mjs.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here).filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && (only.length === 0 || only.some((o) => f.includes(o))));
if (benches.length === 0) {
  console.error('bench: no benchmarks matched');
  process.exit(1);
}
let status = 0;
for (const file of benches.sort()) {
  console.log(`== ${file}`);
  const r = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (r.status !== 0) status = 1;
}
process.exit(status);
