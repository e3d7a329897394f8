/*
 * src/util/strerror.ts against the C library: Python's os.strerror() calls glibc's
 * strerror(), so every errno name Node can report must give the same text.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:os';
import { errnoOf, strerror } from '../../src/util/strerror.js';

test('strerror gives glibc texts for every errno name Node knows', (t) => {
  const names = Object.keys(constants.errno);
  const script = 'import errno, os, sys\nfor n in sys.argv[1:]:\n    print(os.strerror(getattr(errno, n)))\n';
  const glibc = execFileSync('python3', ['-c', script, ...names], { encoding: 'utf8' }).split('\n');
  names.forEach((name, i) => {
    t.is(strerror({ code: name }), glibc[i], name);
    t.is(errnoOf({ code: name }), (constants.errno as Record<string, number>)[name], name);
  });
});

test('strerror of a Node system error uses its code, not its message', (t) => {
  const err = Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), { code: 'ENOENT', errno: -2 });
  t.is(strerror(err), 'No such file or directory');
  t.is(strerror(200), 'Unknown error 200');
});
