/*
 * regexp: and pcre: tables through "postmap -q", ours against the reference: the same
 * warnings for bad rules, and the same answers where JavaScript's RegExp would answer
 * differently (POSIX leftmost-longest matching, bracket expressions, BREs, PCRE options).
 */
import test from 'ava';
import { requireRoot } from '../helpers/diff.js';
import { sameResult, tableDir } from './_tables.js';

/** Keys for "postmap -q -", one per line. */
const keys = (...list: string[]) => `${list.join('\n')}\n`;

const REGEXP_CASES: [string, string, string[]][] = [
  ['leftmost-longest alternation and subexpressions',
    '/^(a|ab)(c|bcd)(d*)$/ 1=$1 2=$2 3=$3\n/(x+)(x*)/ [$1][$2]\n/(wee|week)(knights|night)/ $1-$2\n',
    ['abcd', 'xxxx', 'weeknights', 'ABCD']],
  ['bracket expressions and classes',
    '/^[[:digit:]]+$/ digits\n/^[a\\]]+$/ bracket\n/^[[:alpha:]_-]+$/ word\n/^\\d$/ backslash-d\n/^a{,2}b$/ interval\n',
    ['123', 'a]a', 'a\\a', 'foo_bar-baz', 'd', '5', 'aab', 'b', 'aaab']],
  ['flags: case, basic syntax, newline',
    '/^CASE$/ insensitive\n/^Exact$/i exact\n/^\\(ab\\)\\1+$/x bre-$1\n/^a+$/x bre-plus\n/b$/m newline\n',
    ['case', 'CASE', 'Exact', 'exact', 'ababab', 'a+', 'aaa', 'xb']],
  ['back-references, second pattern, negation',
    '/^(.)(.).?\\2\\1$/ palindrome-$1$2\n/^a/!/b/ a-without-b\n!/@/ no-at-sign\n/./ anything\n',
    ['abba', 'abcba', 'ax', 'axb', 'user@example', 'plain']],
  ['IF and ENDIF blocks',
    'IF /^x/\nIF !/y$/\n/z/ xz-not-y\nENDIF\n/./ x-anything\nENDIF\n/^q/ q\n',
    ['xz', 'xzy', 'xq', 'qz', 'zz']],
  ['substitution details',
    '/^(a)(b)?(c)$/ [$1][$2][$3]\n/^d(.*)$/ ${1}x$$y$(1)\n/^e$/ $$literal\n/^f(.)$/ $1$1$1\n',
    ['abc', 'ac', 'dAB', 'd', 'e', 'fg']],
  ['bad rules are reported and skipped',
    '/unclosed result\n/a/q bad-option\n/(a)/ $2\n/(a)/ $x\n/(a)/ $0\n!/(a)/ $1\n/[/ bad-regex\n/a/\nENDIF\nIF /a/ extra\nENDIF trailing\nfoo bar\n/ok/ fine\nIF /never/\n',
    ['a', 'ok', 'okay']],
  ['8-bit keys and values',
    '/^\xe9t\xe9$/ summer-\xe9\n/^[\xc0-\xff]+$/ high\n/caf\xc9/ cafe-upper\n',
    ['\xe9t\xe9', '\xc9T\xc9', '\xff\xfe', 'caf\xe9', 'CAF\xc9']],
];

for (const [title, table, list] of REGEXP_CASES) {
  test(`regexp: ${title}`, async (t) => {
    if (!requireRoot(t)) return;
    const tables = tableDir(t);
    const path = tables.file('table.regexp', table);
    await sameResult(t, tables, 'postmap', ['-q', '-', `regexp:${path}`], { input: keys(...list) });
    await sameResult(t, tables, 'postmap', ['-q', list[0]!, `regexp:${path}`]);
  });
}

const PCRE_CASES: [string, string, string[]][] = [
  ['Perl syntax that POSIX lacks',
    '/^(?=.*\\d)(\\w+)$/ lookahead-$1\n/^(a+?)(a*)$/ lazy-$1-$2\n/\\bword\\b/ boundary\n/^(?<n>x)\\k<n>$/ named\n/^\\s+$/ spaces\n',
    ['abc1', 'aaaa', 'a word here', 'swordfish', 'xx', ' \t ']],
  ['options: i m s x A E U X',
    '/^case$/i exact\n/^CASE$/ insensitive\n/a.b/ dotall\n/a.b/s no-dotall\n/^b$/m multiline\n/ c d /x extended\n/c/A anchored\n/e$/E dollar-endonly\n/(f+)/U ungreedy-$1\n/g/X obsolete\n',
    ['case', 'CASE', 'a\nb', 'xcd', 'cd', 'xc', 'fff', 'g']],
  ['unset groups, braces and literal dollars',
    '/^(a)|(b)$/ [$1][$2]\n/^c(.*)$/ ${1}x$$\n/^(d)(e)?$/ $1-$2\n',
    ['a', 'b', 'cQ', 'c', 'd', 'de']],
  ['IF and ENDIF blocks',
    'IF /^x/\nIF !/y$/\n/z/ xz-not-y\nENDIF\n/./ x-anything\nENDIF\n/^q/ q\n',
    ['xz', 'xzy', 'xq', 'qz', 'zz']],
  ['bad rules are reported and skipped',
    '/unclosed result\n/a/q bad-option\n/(a)/ $2\n/(a)/ $x\n/(a)/ $0\n!/(a)/ $1\n/(/ bad-regex\n/a)/ bad-regex-2\n/a/\nENDIF\nIF /a/ extra\nENDIF trailing\nfoo bar\n/ok/ fine\nIF /never/\n',
    ['a', 'ok', 'okay']],
  ['8-bit keys',
    '/^\xe9t\xe9$/ summer\n/^[\\x80-\\xff]+$/ high\n',
    ['\xe9t\xe9', '\xc9T\xc9', '\xff\xfe']],
];

for (const [title, table, list] of PCRE_CASES) {
  test(`pcre: ${title}`, async (t) => {
    if (!requireRoot(t)) return;
    const tables = tableDir(t);
    const path = tables.file('table.pcre', table);
    await sameResult(t, tables, 'postmap', ['-q', '-', `pcre:${path}`], { input: keys(...list) });
    await sameResult(t, tables, 'postmap', ['-q', list[0]!, `pcre:${path}`]);
  });
}

test('inline rules: regexp:{{...}} and pcre:{{...}}, and their syntax errors', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  for (const type of ['regexp', 'pcre']) {
    await sameResult(t, tables, 'postmap', ['-q', 'abc', `${type}:{{/^a(.)c$/ got-$1}, {/x/ y}}`]);
    await sameResult(t, tables, 'postmap', ['-q', 'x', `${type}:{ {/^a(.)c$/ got-$1} , {/x/ y} }`]);
    await sameResult(t, tables, 'postmap', ['-q', 'x', `${type}:{{/x/ y}x}`]);
    await sameResult(t, tables, 'postmap', ['-q', 'x', `${type}:{/x/ y}`]);
    await sameResult(t, tables, 'postmap', ['-q', 'x', `${type}:{{/x/ y}`]);
    await sameResult(t, tables, 'postmap', ['-q', 'x', `${type}:{}`]);
  }
});

test('missing files and write access', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t);
  const path = tables.file('table', '/a/ b\n');
  for (const type of ['regexp', 'pcre']) {
    await sameResult(t, tables, 'postmap', ['-q', 'a', `${type}:${tables.dir}/missing`]);
    await sameResult(t, tables, 'postmap', ['-d', 'a', `${type}:${path}`]);
    await sameResult(t, tables, 'postmap', ['-s', `${type}:${path}`]);
    await sameResult(t, tables, 'postmap', ['-q', 'a', `${type}:${tables.dir}`]);
  }
});

const MESSAGES = [
  'From: a@example.com\nSubject : hello\n  folded line\n\tand more\nTo: b@example.com\n\nbody line 1\n\nSubject: in the body\n',
  'Subject: no blank line\nthis line is no header\nbody\n',
  'X-Bad\tHeader: y\nSubject: after garbage\n',
  'Subject: headers only\nTo: x',
  '',
  '\n\nbody after an empty header\n',
  ' starts with space: x\nSubject: y\n',
  `Subject: ${'long '.repeat(30)}\n ${'folded '.repeat(30)}\n more\n\nbody\n`,
];

test('-b and -h: message headers and body lines as keys', async (t) => {
  if (!requireRoot(t)) return;
  const tables = tableDir(t, 'header_size_limit = 100\n');
  const regexp = tables.file('checks.regexp', '/^Subject:/ SUBJECT\n/^body/ BODY\n/^$/ EMPTY\n/^From/ FROM\n/folded/ FOLDED\n/garbage/ GARBAGE\n');
  const pcre = tables.file('checks.pcre', '/^to:/ TO\n/\\n\\tand/ CONTINUED\n');
  for (const input of MESSAGES) {
    for (const flags of [['-h'], ['-b'], ['-h', '-b'], ['-m'], ['-b', '-U']]) {
      await sameResult(t, tables, 'postmap', [...flags, '-q', '-', `pcre:${pcre}`, `regexp:${regexp}`], { input });
    }
  }
  await sameResult(t, tables, 'postmap', ['-h', '-q', 'key', `regexp:${regexp}`]);
  await sameResult(t, tables, 'postmap', ['-h', '-s', `regexp:${regexp}`]);
  await sameResult(t, tables, 'postmap', ['-h', '-q', '-', 'fail:x'], { input: MESSAGES[0] });
});
