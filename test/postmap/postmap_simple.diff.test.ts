/*
 * The in-memory table types through postmap -q, -s and -d, ours against the reference:
 * cidr, texthash, inline, static, fail, environ, internal, unionmap, pipemap, randmap;
 * the flags that change keys and values (-f, -F, -r, -w); and the command line itself.
 */
import test from 'ava';
import { requireRoot, type RunResult } from '../helpers/diff.js';
import { withoutConfigChatter } from '../helpers/queue_vectors.js';
import { sameInTwins, sameResult, tableDir, twinDirs } from './_tables.js';

const keys = (...list: string[]) => `${list.join('\n')}\n`;

test('cidr: patterns, masks, IF/ENDIF and bad rules', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  const path = tables.file('table.cidr', [
    '10.0.0.0/8 ten', '192.168.1.0/24 lan', '[172.16.0.0]/12 bracketed', '[172.20.0.0/16] inner',
    '!127.0.0.0/8 not-loopback-v4-or-v6', '2001:db8::/32 doc6', '[::1] v6-loopback',
    '1.2.3.4/24 host-bits', '1.2.3.0/33 too-long', '1.2.3.0/x bad-mask', '1.2.3.0/264 wraps',
    '300.1.2.3 bad-address', '010.1.2.3 octal', '1.2.3.0/24', '[1.2.3.4 missing-bracket', '[1.2.3.4]x garbage',
    'IF 100.64.0.0/10', 'IF !100.64.1.0/24', '100.64.0.0/16 cgn-first', 'ENDIF', '0.0.0.0/0 cgn-rest', 'ENDIF',
    'ENDIF', 'ENDIF junk', 'IF', 'if 5.5.5.5', '5.5.5.5 five', 'Endif',
    'IF 6.0.0.0/8',
  ].join('\n') + '\n');
  const addrs = ['10.1.2.3', '192.168.1.77', '172.16.5.5', '172.20.1.1', '127.0.0.1', '2001:db8::1', '::1', '1.2.3.4',
    '100.64.0.1', '100.64.1.1', '100.65.0.1', '5.5.5.5', '6.6.6.6', '::ffff:10.1.2.3', 'not-an-address', '010.1.2.3'];
  await sameResult(t, tables, 'postmap', ['-q', '-', `cidr:${path}`], { input: keys(...addrs) });
  await sameResult(t, tables, 'postmap', ['-q', '127.0.0.1', `cidr:${path}`]);
  await sameResult(t, tables, 'postmap', ['-q', '1.1.1.1', 'cidr:{{1.0.0.0/8 one}, {0.0.0.0/0 any}}']);
  await sameResult(t, tables, 'postmap', ['-q', '1.1.1.1', `cidr:${tables.dir}/missing`]);
  await sameResult(t, tables, 'postmap', ['-s', `cidr:${path}`]);
});

test('texthash: syntax, duplicates, quoting and continuation lines', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  const source = [
    '# comment', 'Key1 value one', 'key2\tvalue two  ', '"quoted key" with space', 'back\\ slash escaped',
    'dup first', 'DUP second', 'alias: looks like aliases', 'novalue', '"unbalanced quote', 'cont start',
    '  continued here', '# between', '\tand here', '\xe9t\xe9 8-bit', 'empty ""', '',
  ].join('\n');
  const path = tables.file('source', source);
  for (const flags of [[], ['-f'], ['-r'], ['-w'], ['-n'], ['-N']]) {
    await sameResult(t, tables, 'postmap', [...flags, '-q', '-', `texthash:${path}`],
      { input: keys('key1', 'KEY1', 'Key1', '"quoted key"', 'back\\ slash', 'dup', 'alias:', 'cont', '\xe9t\xe9', '\xc9T\xc9', 'empty') });
  }
  await sameResult(t, tables, 'postmap', ['-s', `texthash:${path}`], { env: { NORANDOMIZE: '1' } });
  await sameResult(t, tables, 'postmap', ['-q', 'x', `texthash:${tables.dir}/missing`]);
  await sameResult(t, tables, 'postmap', ['-d', 'x', `texthash:${path}`]);
  const leading = tables.file('leading', '  starts with space\nkey value\n');
  await sameResult(t, tables, 'postmap', ['-q', 'key', `texthash:${leading}`]);
});

test('texthash: values that name files (-F)', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  tables.file('one.txt', 'first file\n');
  tables.file('two.txt', 'second\x00file');
  const path = tables.file('source', 'a one.txt\nb one.txt,two.txt\nc missing.txt\nd one.txt two.txt\n');
  await sameResult(t, tables, 'postmap', ['-F', '-q', '-', `texthash:${path}`], { input: keys('a', 'b', 'c', 'd') });
  await sameResult(t, tables, 'postmap', ['-F', '-s', `texthash:${path}`], { env: { NORANDOMIZE: '1' } });
  await sameResult(t, tables, 'postmap', ['-q', 'a', `texthash:${path}`]);
  await sameResult(t, tables, 'postmap', ['-F', '-q', 'x', 'static:one.txt']);
  await sameResult(t, tables, 'postmap', ['-F', '-q', 'x', 'static:missing.txt']);
  await sameResult(t, tables, 'postmap', ['-F', '-q', 'k', 'inline:{k=one.txt}']);
  await sameResult(t, tables, 'postmap', ['-F', '-q', 'k', 'inline:{k=nofile}']);
  await sameResult(t, tables, 'postmap', ['-F', '-q', '10.1.1.1', 'cidr:{{10.0.0.0/8 one.txt}}']);
  await sameResult(t, tables, 'postmap', ['-F', '-q', 'abc', 'pcre:{{/b/ two.txt}}']);
  await sameResult(t, tables, 'postmap', ['-F', '-q', 'abc', 'regexp:{{/b/ one.txt}, {/c/ gone.txt}}']);
});

test('inline, static, fail, environ, internal', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  const runs: string[][] = [
    ['-q', 'a', 'inline:{a=1, b = 2, { c = three words }, "d e" = 4}'],
    ['-q', 'C', 'inline:{a=1, b = 2, { c = three words }}'],
    ['-f', '-q', 'C', 'inline:{a=1, C=2}'],
    ['-q', 'x', 'inline:{a=1, b}'],
    ['-q', 'x', 'inline:{a=1, {b=2}x}'],
    ['-q', 'x', 'inline:{ }'],
    ['-q', 'x', 'inline:a=1'],
    ['-q', 'x', 'inline:{a=1}x'],
    ['-q', 'a', 'inline:{a=1, a=2}'],
    ['-s', 'inline:{z=26, y=25, x=24, w=23, v=22, u=21, t=20, s=19, r=18, q=17, p=16, o=15, n=14, m=13}'],
    ['-d', 'a', 'inline:{a=1}'],
    ['-q', 'anything', 'static:value'],
    ['-q', 'anything', 'static:{ value with spaces }'],
    ['-q', 'anything', 'static:{value'],
    ['-q', 'x', 'static:{}'],
    ['-s', 'static:value'],
    ['-d', 'x', 'static:value'],
    ['-q', 'x', 'fail:name'],
    ['-s', 'fail:name'],
    ['-d', 'x', 'fail:name'],
    ['-q', 'HOME_FOR_TEST', 'environ:x'],
    ['-f', '-q', 'HOME_FOR_TEST', 'environ:x'],
    ['-q', 'LANG', 'environ:x'],
    ['-q', 'x', 'internal:name'],
    ['-s', 'internal:name'],
    ['-q', 'x', 'nosuchtype:name'],
    ['-q', 'x', ':name'],
    ['-q', 'x', 'static:'],
  ];
  for (const args of runs) await sameResult(t, tables, 'postmap', args, { env: { NORANDOMIZE: '1', home_for_test: 'lower', HOME_FOR_TEST: 'upper' } });
});

test('unionmap, pipemap and randmap', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  const path = tables.file('rules.regexp', '/^(.*)@example$/ $1\n/^empty$/ \n');
  const runs: string[][] = [
    ['-q', 'a', 'unionmap:{inline:{a=1}, inline:{a=2, b=3}, static:s}'],
    ['-q', 'b', 'unionmap:{inline:{a=1}, inline:{b=3}}'],
    ['-q', 'c', 'unionmap:{inline:{a=1}, inline:{b=3}}'],
    ['-q', 'empty', `unionmap:{regexp:${path}, static:x}`],
    ['-q', 'a', 'unionmap:{inline:{a=1}, fail:x}'],
    ['-q', 'a', 'unionmap:{inline:{a=1}, notype}'],
    ['-q', 'a', 'unionmap:{}'],
    ['-q', 'a', 'unionmap:inline:{a=1}'],
    ['-q', 'user@example', `pipemap:{regexp:${path}, inline:{user=found}}`],
    ['-q', 'other@example', `pipemap:{regexp:${path}, inline:{user=found}}`],
    ['-q', 'x', 'pipemap:{static:y, fail:z}'],
    ['-q', 'x', 'pipemap:{{static:y}, {inline:{y=z}}}'],
    ['-q', 'x', 'randmap:{only}'],
    ['-q', 'x', 'randmap:{ {one value} }'],
    ['-q', 'x', 'randmap:{}'],
    ['-q', 'x', 'randmap:only'],
    ['-d', 'x', 'randmap:{only}'],
    ['-d', 'x', 'pipemap:{static:y}'],
    ['-s', 'unionmap:{static:y}'],
  ];
  for (const args of runs) await sameResult(t, tables, 'postmap', args);
});

test('several tables, standard input, and the command line', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  const path = tables.file('source', 'a 1\nb 2\n');
  await sameResult(t, tables, 'postmap', ['-q', '-', 'inline:{x=0}', `texthash:${path}`, 'static:default'], { input: 'a\nx\nzz\n' });
  await sameResult(t, tables, 'postmap', ['-q', 'b', 'inline:{x=0}', `texthash:${path}`]);
  await sameResult(t, tables, 'postmap', ['-q', 'nope', 'inline:{x=0}', `texthash:${path}`]);
  await sameResult(t, tables, 'postmap', ['-q', '-', 'inline:{x=0}'], { input: 'x\nx' });
  await sameResult(t, tables, 'postmap', ['-q', '-', 'inline:{x=0}'], { input: '' });
  await sameResult(t, tables, 'postmap', ['-s', 'inline:{x=0}', 'fail:second']);
  await sameResult(t, tables, 'postmap', ['-q', 'x']);
  await sameResult(t, tables, 'postmap', ['-s']);
  await sameResult(t, tables, 'postmap', ['-d', 'x']);
  await sameResult(t, tables, 'postmap', []);
  await sameResult(t, tables, 'postmap', ['-q', 'x', '-s', 'static:y']);
  await sameResult(t, tables, 'postmap', ['-s', '-d', 'x', 'static:y']);
  await sameResult(t, tables, 'postmap', ['-b', '-q', 'x', 'static:y']);
  await sameResult(t, tables, 'postmap', ['-q', 'x', '-Z', 'static:y']);
});

test('main.cf settings that postmap uses', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t, 'default_database_type = texthash\nimport_environment = FOO=bar, {BAZ = a b}\n');
  const path = tables.file('source', 'a 1\n');
  await sameResult(t, tables, 'postmap', ['-q', 'a', path]);
  await sameResult(t, tables, 'postmap', ['-q', 'FOO', 'environ:x']);
  await sameResult(t, tables, 'postmap', ['-q', 'BAZ', 'environ:x']);
  const bad = tableDir(t, 'import_environment = {FOO=bar\n');
  await sameResult(t, bad, 'postmap', ['-q', 'FOO', 'environ:x']);
});

test('SMTPUTF8: UTF-8 checks and Unicode case folding', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t, 'compatibility_level = 3.6\n');
  const path = tables.file('source', '\xc3\x89T\xc3\x89 summer\nSTRASSE street\nbad\xff latin1\nok bad\xffvalue\n\xe2\x84\xaa kelvin\n');
  const input = keys('\xc3\xa9t\xc3\xa9', '\xc3\x89T\xc3\x89', 'strasse', 'bad\xff', 'ok', '\xe2\x84\xaa', 'k');
  for (const flags of [[], ['-f'], ['-u'], ['-U']]) {
    await sameResult(t, tables, 'postmap', [...flags, '-q', '-', `texthash:${path}`], { input });
    await sameResult(t, tables, 'postmap', [...flags, '-q', '-', 'inline:{\xc3\x89=\xc3\xa9, K=k}'], { input: keys('\xc3\xa9', '\xc3\x89', 'k') });
    await sameResult(t, tables, 'postmap', [...flags, '-q', '-', 'pcre:{{/^\xc3\xa9$/ found}}'], { input: keys('\xc3\xa9', '\xc3\x89', '\xff') });
  }
  await sameResult(t, tables, 'postmap', ['-q', 'x', 'inline:{\xff=1}']);
});

test('unix: the password and group databases', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  await sameResult(t, tables, 'postmap', ['-q', '-', 'unix:passwd.byname'], { input: keys('root', 'ROOT', 'postfix', 'nobody', 'no-such-user', '') });
  await sameResult(t, tables, 'postmap', ['-q', '-', 'unix:group.byname'], { input: keys('root', 'postdrop', 'mail', 'no-such-group') });
  await sameResult(t, tables, 'postmap', ['-f', '-q', 'ROOT', 'unix:passwd.byname']);
  for (const args of [['-q', 'x', 'unix:other'], ['-s', 'unix:passwd.byname'], ['-d', 'x', 'unix:group.byname']]) {
    await sameResult(t, tables, 'postmap', args);
  }
});

test('-v: the same verbose logging, apart from main.cf processing', async (t) => {
  if (!requireRoot(t)) return;
  const twins = twinDirs(t);
  twins.file('source', 'a 1\nb 2\n');
  const quiet = (r: RunResult): RunResult => ({ ...r, stderr: withoutConfigChatter(r.stderr) });
  for (const args of [['-v', 'hash:source'], ['-v', '-q', 'a', 'hash:source'], ['-v', 'lmdb:source'], ['-v', '-q', 'b', 'lmdb:source'],
    ['-v', 'cdb:source'], ['-v', '-q', 'a', 'cdb:source'], ['-v', '-q', '1.2.3.4', 'cidr:{{1.2.3.0/24 x}}'],
    ['-v', '-q', 'abc', 'regexp:{{/b/ x}}'], ['-v', '-q', 'abc', 'pcre:{{/b/ x}}'], ['-v', '-q', 'a', 'unionmap:{inline:{a=1}, static:2}'],
    ['-v', '-q', 'a', 'texthash:source']]) {
    await sameInTwins(t, twins, 'postmap', args, {}, quiet);
  }
});
