/*
 * man/ is rendered from the program headers by src/mantools/srctoman.ts: this fails when
 * a header changed and "node dist/src/mantools/srctoman.js" was not run again.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderAll } from '../../src/mantools/srctoman.js';
import { tempDir } from '../helpers/diff.js';
import { TOP } from '../helpers/paths.js';

test('man/ is up to date with the program headers', (t) => {
  const out = tempDir(t);
  const pages = renderAll(TOP, out);
  t.true(pages.length >= 39, 'every command and daemon has a page');
  for (const page of pages) {
    const committed = join(TOP, 'man', relative(out, page));
    let text = '';
    try {
      text = readFileSync(committed, 'latin1');
    } catch {
      t.fail(`${committed} is missing: run node dist/src/mantools/srctoman.js`);
      continue;
    }
    t.is(text, readFileSync(page, 'latin1'), `${committed} is stale: run node dist/src/mantools/srctoman.js`);
  }
});
