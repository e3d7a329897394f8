/*
 * mac_expand against the reference: each pattern in mac_expand.in becomes the value of a
 * main.cf parameter, which the reference postconf expands with -x; our mac_expand()
 * expands the same pattern in-process with the same names defined. Compared: the result,
 * the warnings, and whether expansion failed ("macro processing error").
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MSG_WARN, msgOutputAdd } from '../../src/util/msg.js';
import { MAC_EXP_FLAG_RECURSE, MAC_PARSE_ERROR, macExpand } from '../../src/util/mac_expand.js';
import { compatLevelRelopRegister } from '../../src/global/compat_level.js';
import { requireRoot, runReference, tempConfig } from '../helpers/diff.js';
import { TOP } from '../helpers/paths.js';

const NAMES: Record<string, string> = {
  name: 'value', other: 'another', empty: '', nested: 'x', recurse1: '$recurse2', recurse2: 'end of $name',
  compatibility_level: '3.6',
};
const PATTERNS = readFileSync(join(TOP, 'test/util/mac_expand.in'), 'latin1').split('\n').filter((l) => l !== '');

const warnings: string[] = [];
msgOutputAdd((level, text) => { if (level === MSG_WARN) warnings.push(`warning: ${text}`); });
compatLevelRelopRegister();

function ours(pattern: string): { value: string | undefined; warnings: string[] } {
  warnings.length = 0;
  const out = macExpand(pattern, MAC_EXP_FLAG_RECURSE, undefined, (name) => NAMES[name]);
  const failed = (out.status & MAC_PARSE_ERROR) !== 0;
  // postconf prints values as words separated by single spaces.
  const words = out.result.split(/[ \t\r\n]+/).filter((w) => w !== '').join(' ');
  return { value: failed ? undefined : words, warnings: [...warnings] };
}

async function reference(t: Parameters<typeof requireRoot>[0], pattern: string): Promise<{ value: string | undefined; warnings: string[] }> {
  const main = Object.entries(NAMES).map(([n, v]) => `${n} = ${v}\n`).join('') + `myorigin = ${pattern}\n`;
  const dir = tempConfig(t, { 'main.cf': main, 'master.cf': '' });
  const run = await runReference('postconf', ['-c', dir, '-xh', 'myorigin']);
  const lines = run.stderr.split('\n').filter((l) => l !== '').map((l) => l.replace(/^postconf: /, ''));
  const failed = lines.includes('fatal: macro processing error');
  return {
    value: failed ? undefined : run.stdout.replace(/\n$/, ''),
    warnings: [...new Set(lines.filter((l) => l.startsWith('warning: ') && !/unused parameter|undefined parameter/.test(l)))],
  };
}

for (const pattern of PATTERNS) {
  test(`mac_expand: ${pattern}`, async (t) => {
    if (!requireRoot(t)) return;
    const mine = ours(pattern);
    t.deepEqual({ ...mine, warnings: [...new Set(mine.warnings)] }, await reference(t, pattern));
  });
}
