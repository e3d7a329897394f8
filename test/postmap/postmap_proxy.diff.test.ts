/*
 * proxy: tables through "postmap -q/-d", ours against the reference, both as clients of
 * the reference proxymap and proxywrite run by a private reference master: lookups,
 * tables that proxy_read_maps does not list, deletes through proxywrite (each side on its
 * own copy of the table), and the operations that postmap refuses for proxy: tables.
 */
import test from 'ava';
import { requireRoot, runOurs, runReference, type RunResult } from '../helpers/diff.js';
import { type ProxymapInstance, startProxymapInstance } from '../helpers/ref_proxymap.js';

const SOURCE = 'key1 value1\nMixed Case value\nlong ' + 'x'.repeat(2000) + '\n\xe9t\xe9 eight bit\nempty-ish  \n';

/** Run both clients with "-c config" in the table directory; compare. */
async function same(t: import('ava').ExecutionContext, inst: ProxymapInstance, args: string[], input?: string,
  normalize: (r: RunResult) => RunResult = (r) => r): Promise<RunResult> {
  const opts = { cwd: inst.tables, input };
  const [ours, ref] = await Promise.all([
    runOurs('postmap', ['-c', inst.config, ...args], opts),
    runReference('postmap', ['-c', inst.config, ...args], opts),
  ]);
  t.deepEqual(normalize(ours), normalize(ref), `postmap ${args.join(' ')}`);
  return ref;
}

async function build(t: import('ava').ExecutionContext, inst: ProxymapInstance, spec: string): Promise<void> {
  const built = await runReference('postmap', ['-c', inst.config, spec], { cwd: inst.tables });
  t.is(built.status, 0, built.stderr);
}

test('proxy: lookups through the reference proxymap, and tables it will not open', async (t) => {
  if (!requireRoot(t)) return;
  const inst = await startProxymapInstance(t, (dir) => [
    // proxymap approves only tables listed with their proxy: prefix.
    `proxy_read_maps = proxy:hash:${dir}/map proxy:texthash:${dir}/text proxy:hash:${dir}/absent proxy:inline:{a=b}`
      + ` proxy:cidr:${dir}/cidr hash:${dir}/other`,
  ].join('\n'));
  inst.file('map', SOURCE);
  inst.file('text', SOURCE);
  inst.file('cidr', '10.0.0.0/8 ten\n');
  inst.file('other', SOURCE);
  await build(t, inst, `hash:${inst.tables}/map`);
  await build(t, inst, `hash:${inst.tables}/other`);
  const map = `proxy:hash:${inst.tables}/map`;
  for (const key of ['key1', 'KEY1', 'mixed', 'Mixed', 'missing', 'long', '\xe9t\xe9', '']) {
    await same(t, inst, ['-q', key, map]);
  }
  // The server really answered (and was not just refused on both sides).
  t.is((await same(t, inst, ['-q', 'key1', map])).stdout, 'value1\n');
  await same(t, inst, ['-f', '-q', 'Mixed', map]);
  await same(t, inst, ['-q', '-', map, `proxy:texthash:${inst.tables}/text`], 'key1\nnone\nmixed\n\xe9t\xe9\n');
  await same(t, inst, ['-q', 'a', 'proxy:inline:{a=b}']);
  await same(t, inst, ['-q', '10.1.2.3', `proxy:cidr:${inst.tables}/cidr`]);
  // Not listed in proxy_read_maps, listed but missing, and what postmap refuses itself.
  await same(t, inst, ['-q', 'key1', `proxy:hash:${inst.tables}/other`]);
  await same(t, inst, ['-q', 'key1', `proxy:hash:${inst.tables}/absent`]);
  await same(t, inst, ['-q', 'key1', 'proxy:inline:{a=c}']);
  await same(t, inst, ['-s', map]);
  await same(t, inst, [map]);
  await same(t, inst, ['-i', map], 'a b\n');
  await same(t, inst, ['-q', 'key1', 'proxy:proxy:hash:/x']);
  // Only the lines of the proxy client: the reference's -v also logs main.cf processing.
  const client = (r: RunResult) => ({ ...r, stderr: r.stderr.split('\n').filter((l) => /dict_proxy|proxymap|connect/.test(l)).join('\n') });
  await same(t, inst, ['-v', '-q', 'key1', map], undefined, client);
});

test('proxy: deletes through the reference proxywrite', async (t) => {
  if (!requireRoot(t)) return;
  const inst = await startProxymapInstance(t, (dir) => [
    `proxy_read_maps = proxy:hash:${dir}/ref proxy:hash:${dir}/ours`,
    `proxy_write_maps = proxy:hash:${dir}/ref proxy:hash:${dir}/ours proxy:btree:${dir}/absent hash:${dir}/other`,
  ].join('\n'));
  // Each side deletes from its own copy; messages name the table, so "ours" reads as "ref".
  const asRef = (r: RunResult) => ({ ...r, stderr: r.stderr.replaceAll(`${inst.tables}/ours`, `${inst.tables}/ref`) });
  const state = async (name: string) => (await runReference('postmap', ['-c', inst.config, '-s', `hash:${inst.tables}/${name}`])).stdout
    .split('\n').sort().join('\n');
  const run = async (args: (name: string) => string[], input?: string) => {
    for (const name of ['ref', 'ours']) {
      inst.file(name, SOURCE, true);
      await build(t, inst, `hash:${inst.tables}/${name}`);
    }
    const opts = { cwd: inst.tables, input };
    const ref = await runReference('postmap', ['-c', inst.config, ...args('ref')], opts);
    const ours = await runOurs('postmap', ['-c', inst.config, ...args('ours')], opts);
    t.deepEqual(asRef(ours), asRef(ref), `postmap ${args('ref').join(' ')}`);
    t.is(await state('ours'), await state('ref'));
    return state('ref');
  };
  t.false((await run((name) => ['-d', 'key1', `proxy:hash:${inst.tables}/${name}`])).includes('key1'));
  await run((name) => ['-d', 'MIXED', `proxy:hash:${inst.tables}/${name}`]);
  await run((name) => ['-d', 'missing', `proxy:hash:${inst.tables}/${name}`]);
  await run((name) => ['-d', '-', `proxy:hash:${inst.tables}/${name}`], 'key1\nnone\nlong\n');
  // Tables that proxywrite does not list, or cannot open.
  await same(t, inst, ['-d', 'key1', `proxy:hash:${inst.tables}/other`]);
  await same(t, inst, ['-d', 'key1', `proxy:btree:${inst.tables}/absent`]);
});
