/*
 * src/util/getopt.ts against glibc's getopt(3), which Postfix uses with a "+" prefix:
 * the same options, arguments, optind, operands and error messages for each command line.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TOP } from '../helpers/paths.js';
import { runProgram, tempDir } from '../helpers/diff.js';

const CASES: Array<[string, string[]]> = [
  ['+c:Dv', ['-v', '-c', '/etc/postfix', 'start']],
  ['+c:Dv', ['-vc/etc/postfix', 'start']],
  ['+c:Dv', ['-vD', '--', '-c', 'x']],
  ['+c:Dv', ['start', '-v']], // no permutation: stops at the first operand
  ['+c:Dv', ['-Z']],
  ['+c:Dv', ['-vZv', 'x']],
  ['+c:Dv', ['-c']],
  ['+c:Dv', ['-v', '-']],
  ['+c:Dv', ['-:']],
  ['+c:Dv', ['-;']],
  ['+c:Dv', ['-+']],
  ['+c:Dv', ['--x']],
  ['+aAbc:C:deEfFhHlmMno:pPtT:vxX#', ['-#', '-n', '-c', 'dir', 'a', 'b']],
  ['+aAbc:C:deEfFhHlmMno:pPtT:vxX#', ['-nfo', 'x=y', '-X']],
  ['+aAbc:C:deEfFhHlmMno:pPtT:vxX#', ['-o']],
  ['+:c:v', ['-c']],
  ['+:c:v', ['-Z', '-v']],
  ['+A:B:C:F:GIL:N:O:R:UV:X:b:ce:f:h:imno:p:r:q:tvx', ['-bs', '-f', 'sender', '-oi', 'rcpt']],
  ['+A:B:C:F:GIL:N:O:R:UV:X:b:ce:f:h:imno:p:r:q:tvx', ['-q', '-Z']],
  ['+ae:g:i:G:I:lpRvx', ['-lag', 'grp']],
  ['+c:fi:jps:v', ['-pj']],
  ['+c:fi:jps:v', ['-s']],
  ['+bc:d:fFhimnNopq:rsuUvw', ['-q', '', 'hash:/x']],
  ['+bc:d:fFhimnNopq:rsuUvw', ['-q', 'key with space', '-v']],
];

test('getopt.ts parses every command line as glibc getopt does', async (t) => {
  const dir = tempDir(t);
  const glibc = join(dir, 'getopt_driver');
  execFileSync('cc', ['-o', glibc, join(TOP, 'test', 'util', 'getopt_driver.c')]);
  const ours = join(TOP, 'dist', 'test', 'util', 'getopt_driver.js');
  for (const [optstring, args] of CASES) {
    const [mine, theirs] = await Promise.all([
      runProgram(process.execPath, [ours, optstring, 'prog', ...args], { argv0: 'node' }),
      runProgram(glibc, [optstring, 'prog', ...args]),
    ]);
    t.deepEqual(mine, theirs, `${optstring} ${JSON.stringify(args)}`);
    t.is(theirs.status, 0);
  }
});
