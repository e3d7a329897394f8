/*
 * The attribute codecs against the reference's own (libpostfix-util.so through
 * test/util/attr_driver.c): the same lists encoded to the same bytes, and the same input
 * decoded to the same conversion count, values and warnings, in all three encodings.
 * Covers strict and lenient reading, missing and extra attributes (and the desync after a
 * strict stop), duplicates, hashes, multi-part lists, number syntax, malformed base64,
 * truncated input at every byte, and the verbose logging.
 */
import test from 'ava';
import { type Encoding, hex, runOurDriver, runReferenceDriver } from '../helpers/attr_driver.js';

const ENCODINGS: Encoding[] = ['0', '64', 'plain'];
const STRICT = '3';
const NONE = '0';
const MISSING = '1';
const EXTRA = '2';
const MORE = '4';
const PRINTABLE = '8';

const i = (name: string) => `i:${hex(name)}`;
const l = (name: string) => `l:${hex(name)}`;
const s = (name: string) => `s:${hex(name)}`;
const d = (name: string) => `d:${hex(name)}`;
const q = (name: string, value: string) => `q:${hex(name)}:${hex(value)}`;
const h = 'h';

type Pairs = [string, string][];
const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

/** A list in one encoding, written out by hand here (not by the code under test). */
function render(encoding: Encoding, pairs: Pairs, end = true): string {
  const body = pairs.map(([name, value]) => {
    if (encoding === '0') return `${name}\0${value}\0`;
    if (encoding === '64') return `${b64(name)}:${b64(value)}\n`;
    return `${name}=${value}\n`;
  }).join('');
  return body + (end ? (encoding === '0' ? '\0' : '\n') : '');
}

/** Command-line groups: each is [flags, ...items]. */
const scanArgs = (encoding: Encoding, verbose: number, groups: string[][]) =>
  ['scan', encoding, String(verbose), ...groups.flatMap((g, n) => (n === 0 ? g : ['--', ...g]))];

async function sameScan(t: import('ava').ExecutionContext, encoding: Encoding, input: string,
  groups: string[][], verbose = 0) {
  const args = scanArgs(encoding, verbose, groups);
  const ref = await runReferenceDriver(args, input);
  t.deepEqual(await runOurDriver(args, input), ref, 'whole input at once');
  t.deepEqual(await runOurDriver(args, input, 1), ref, 'one byte at a time');
  return ref;
}

interface ScanCase {
  title: string;
  input: Pairs | Pairs[];
  groups: string[][];
  verbose?: number;
}

const RESOLVE_REPLY: Pairs = [['flags', '0'], ['transport', 'smtp'], ['nexthop', 'example.net'],
  ['recipient', 'bob@example.net'], ['flags', '2048']];

const SCAN_CASES: ScanCase[] = [
  { title: 'exact list, strict', input: [['status', '0'], ['reason', 'ok']], groups: [[STRICT, i('status'), s('reason')]] },
  { title: 'unrequested attribute skipped', input: [['status', '0'], ['extra', 'x'], ['reason', 'r']],
    groups: [[NONE, i('status'), s('reason')]] },
  { title: 'unrequested attribute stops a strict scan and leaves the stream out of step',
    input: [['status', '0'], ['extra', 'x'], ['reason', 'r']],
    groups: [[STRICT, i('status'), s('reason')], [NONE, s('x')], [NONE, s('reason')]] },
  { title: 'unrequested attribute at the end, strict', input: [['a', '1'], ['b', '2']], groups: [[STRICT, i('a')], [NONE, i('a')]] },
  { title: 'early end of list, with and without MISSING', input: [[['status', '0']], [['status', '1']]],
    groups: [[MISSING, i('status'), s('reason')], [NONE, i('status'), s('reason')]] },
  { title: 'duplicate names match by position', input: RESOLVE_REPLY,
    groups: [[STRICT, i('flags'), s('transport'), s('nexthop'), s('recipient'), i('flags')]] },
  { title: 'duplicate names, second one only', input: RESOLVE_REPLY, groups: [[NONE, s('recipient'), i('flags')]] },
  { title: 'protocol announcement matches', input: [['protocol', 'trivial_rewrite_protocol']],
    groups: [[STRICT, q('protocol', 'trivial_rewrite_protocol')]] },
  { title: 'protocol announcement mismatch', input: [['protocol', 'other']], groups: [[STRICT, q('protocol', 'x')]] },
  { title: 'cleanup hello: announcement plus queue id', input: [['protocol', 'cleanup_protocol'], ['queue_id', 'ABC']],
    groups: [[STRICT, q('protocol', 'cleanup_protocol'), s('queue_id')]] },
  { title: 'announcement with an extra attribute', input: [['protocol', 'p'], ['junk', 'j']],
    groups: [[STRICT, q('protocol', 'p')], [NONE, s('j')]] },
  { title: 'hash takes the rest of the list', input: [['a', '1'], ['b', '2'], ['a', '3']], groups: [[NONE, h]] },
  { title: 'hash duplicate with EXTRA', input: [['a', '1'], ['b', '2'], ['a', '3']], groups: [[EXTRA, h]] },
  { title: 'named attribute, then hash', input: [['request', 'x'], ['k', 'v']], groups: [[STRICT, s('request'), h]] },
  { title: 'multi-part list with MORE and scan_more',
    input: [['queue_name', 'active'], ['queue_id', 'A1'], ['recipient', 'r1'], ['reason', ''], ['recipient', 'r2'], ['reason', 'x']],
    groups: [[MORE + '', s('queue_name'), s('queue_id')], ['more'], [String(3 | 4), s('recipient'), s('reason')], ['more'],
      [String(3 | 4), s('recipient'), s('reason')], ['more'], ['more']], verbose: 1 },
  { title: 'strict MORE stops at an unexpected name', input: [['a', '1'], ['b', '2']], groups: [[String(3 | 4), s('b')]] },
  { title: 'printable', input: [['text', 'a\x01b\x7fc\xe9\xa0d\ttab']], groups: [[PRINTABLE, s('text')], [NONE]] },
  { title: 'not printable without the flag', input: [['text', 'a\x01b\xe9']], groups: [[NONE, s('text')]] },
  { title: 'values with separators of other encodings', input: [['v', 'a=b:c d']], groups: [[STRICT, s('v')]] },
  { title: 'empty values and unsigned numbers', input: [['n', '4294967294'], ['e', ''], ['L', '18446744073709551615']],
    groups: [[STRICT, i('n'), s('e'), l('L')]] },
  { title: 'verbose logging', input: [['status', '0'], ['extra', 'x'], ['reason', 'r']],
    groups: [[MISSING, i('status'), s('reason'), s('more')]], verbose: 1 },
  { title: 'hash, verbose', input: [['a', '1'], ['b', '']], groups: [[NONE, h]], verbose: 1 },
];

for (const encoding of ENCODINGS) {
  for (const c of SCAN_CASES) {
    test.serial(`scan ${encoding}: ${c.title}`, async (t) => {
      const lists = (Array.isArray(c.input[0]?.[0]) ? c.input : [c.input]) as Pairs[];
      await sameScan(t, encoding, lists.map((p) => render(encoding, p)).join(''), c.groups, c.verbose);
    });
  }

  test.serial(`scan ${encoding}: number syntax`, async (t) => {
    for (const text of [' 12', '12 ', '-1', '-0', '+5', '4294967296', '', 'abc', '0x10', '007', '18446744073709551616', '99999999999999999999999']) {
      for (const want of [i('n'), l('n')]) {
        const ref = await sameScan(t, encoding, render(encoding, [['n', text]]), [[STRICT, want]]);
        t.regex(ref.stdout, /^count/, 'the reference ran');
      }
    }
  });

  test.serial(`scan ${encoding}: empty input gives zero conversions`, async (t) => {
    const ref = await sameScan(t, encoding, '', [[STRICT, q('protocol', 'p')], ['more']]);
    t.is(ref.stdout, 'count 0\nmore -1\n');
  });

  test.serial(`scan ${encoding}: truncated at every byte`, async (t) => {
    const whole = render(encoding, [['status', '17'], ['reason', 'r=1'], ['data', encoding === '64' ? 'xy' : b64('xy')]]);
    for (let cut = 1; cut < whole.length; cut++) {
      await sameScan(t, encoding, whole.slice(0, cut), [[STRICT, i('status'), s('reason'), d('data')]]);
    }
  });
}

const RAW_CASES: { encoding: Encoding; title: string; input: string; groups: string[][] }[] = [
  { encoding: '0', title: 'data decoded', input: 'data\0d2hvb3BlZQ==\0\0', groups: [[STRICT, d('data')]] },
  { encoding: '0', title: 'data stops at the first padding', input: 'data\0YQ==YWJj\0\0', groups: [[STRICT, d('data')]] },
  { encoding: '0', title: 'data of bad length', input: 'data\0abc\0\0', groups: [[STRICT, d('data')]] },
  { encoding: '0', title: 'data outside the alphabet', input: 'data\0ab!=\0\0', groups: [[STRICT, d('data')]] },
  { encoding: '0', title: 'group read as hash', input: 'a\x001\0{\0k1\0v1\0k2\0\0}\0b\x002\0\0', groups: [[NONE, s('a'), h, s('b')]] },
  { encoding: '0', title: 'group not closed', input: '{\0k1\0v1\0\0', groups: [[MISSING, h]] },
  { encoding: '0', title: 'unrequested value cut short', input: 'x\0abc', groups: [[NONE, s('y')]] },
  { encoding: '64', title: 'name without a value', input: `${b64('name')}\n\n`, groups: [[STRICT, s('name')]] },
  { encoding: '64', title: 'number without a value', input: `${b64('n')}\n\n`, groups: [[STRICT, i('n')]] },
  { encoding: '64', title: 'two values', input: `${b64('name')}:${b64('a')}:${b64('b')}\n\n`, groups: [[STRICT, s('name')]] },
  { encoding: '64', title: 'malformed name', input: `b!==:${b64('x')}\n\n`, groups: [[STRICT, s('name')]] },
  { encoding: '64', title: 'skipped attribute with several values',
    input: `${b64('x')}:${b64('1')}:${b64('2')}\n${b64('name')}:${b64('v')}\n\n`, groups: [[NONE, s('name')]] },
  { encoding: '64', title: 'group read as hash', input: `ew==\n${b64('k')}:${b64('v')}\nfQ==\n${b64('z')}:${b64('1')}\n\n`,
    groups: [[NONE, h, i('z')]] },
  { encoding: '64', title: 'data is raw', input: `${b64('data')}:${b64('\x00\x01\xff')}\n\n`, groups: [[STRICT, d('data')]] },
  { encoding: '64', title: 'string with a NUL inside', input: `${b64('s')}:${b64('ab\x00cd')}\n\n`, groups: [[STRICT, s('s')]] },
  { encoding: 'plain', title: 'name without a value', input: 'name\n\n', groups: [[STRICT, s('name')]] },
  { encoding: 'plain', title: 'value keeps = and carriage return', input: 'name=a=b\r\n\n', groups: [[STRICT, s('name')]] },
  { encoding: 'plain', title: 'group with NUL bytes read as hash', input: 'a=1\n{\0\nk=v\n}\0\nb=2\n\n', groups: [[NONE, s('a'), h, s('b')]] },
  { encoding: 'plain', title: 'data decoded', input: 'data=d2hvb3BlZQ==\n\n', groups: [[STRICT, d('data')]] },
  { encoding: 'plain', title: 'bad data', input: 'data=d2hvb3BlZQ=\n\n', groups: [[STRICT, d('data')]] },
  { encoding: 'plain', title: 'empty name', input: '=v\n\n', groups: [[STRICT, s('n')]] },
  { encoding: 'plain', title: 'anvil reply with CRLF list end', input: 'status=0\r\n\r\n\n', groups: [[STRICT, i('status')]] },
];

for (const c of RAW_CASES) {
  test.serial(`scan ${c.encoding}: ${c.title}`, async (t) => {
    await sameScan(t, c.encoding, c.input, c.groups);
    await sameScan(t, c.encoding, c.input, c.groups, 1);
  });
}

const PRINT_GROUPS: { title: string; groups: string[][]; verbose?: number }[] = [
  { title: 'every type', groups: [[NONE, `s:${hex('protocol')}:${hex('test')}`, `i:${hex('number')}:-1`,
    `l:${hex('long_number')}:1234`, `d:${hex('data')}:${hex('whoopee')}`, `h:${hex('k1')}=${hex('v1')}`, `s:${hex('empty')}:`]] },
  { title: 'number extremes', groups: [[NONE, `i:${hex('a')}:2147483647`, `i:${hex('b')}:-2147483648`, `i:${hex('c')}:0`,
    `l:${hex('d')}:-1`, `l:${hex('e')}:9223372036854775807`, `l:${hex('f')}:-9223372036854775808`]] },
  { title: 'binary data of every length mod 3', groups: [[NONE, `d:${hex('a')}:`, `d:${hex('b')}:00`, `d:${hex('c')}:00ff`,
    `d:${hex('d')}:${Buffer.from([...Array(256).keys()]).toString('hex')}`]] },
  { title: 'high bytes in names and values; a NUL ends a string', groups: [[NONE, `s:${hex('n\xe9')}:${hex('v\xff\x01')}`,
    `s:${hex('z')}:${hex('ab\0cd')}`]] },
  { title: 'MORE leaves the end marker out; empty hash; empty list', groups: [[MORE, `s:${hex('a')}:${hex('1')}`], [NONE, 'h:'], [NONE]] },
  { title: 'verbose logging', groups: [[NONE, `s:${hex('a')}:${hex('1')}`, `i:${hex('n')}:-2`, `l:${hex('L')}:5`,
    `d:${hex('d')}:0102`, `h:${hex('k')}=${hex('v')}`]], verbose: 1 },
];

for (const encoding of ENCODINGS) {
  for (const c of PRINT_GROUPS) {
    test.serial(`print ${encoding}: ${c.title}`, async (t) => {
      const args = ['print', encoding, String(c.verbose ?? 0), ...c.groups.flatMap((g, n) => (n === 0 ? g : ['--', ...g]))];
      const ref = await runReferenceDriver(args);
      t.true(ref.stdout.length > 0, 'the reference wrote something');
      t.deepEqual(await runOurDriver(args), ref);
    });
  }
}
