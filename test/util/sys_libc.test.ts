/*
 * sys_libc: the structure layouts and constants we write by hand agree with the C
 * headers of this system (a C program compiled with cc prints the real values), and
 * failed calls become errors that strerror() prints as glibc does.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/diff.js';
import * as sys from '../../src/util/sys_libc.js';
import * as syslog from '../../src/util/msg_syslog.js';
import * as myflock from '../../src/util/myflock.js';
import { strerror } from '../../src/util/strerror.js';

const CONSTANTS: Record<string, number> = {
  EINTR: sys.EINTR, EAGAIN: sys.EAGAIN, EACCES: sys.EACCES, ERANGE: sys.ERANGE,
  LOCK_SH: sys.LOCK_SH, LOCK_EX: sys.LOCK_EX, LOCK_NB: sys.LOCK_NB, LOCK_UN: sys.LOCK_UN,
  F_GETFL: sys.F_GETFL, F_SETFL: sys.F_SETFL, F_SETLK: sys.F_SETLK, F_SETLKW: sys.F_SETLKW,
  F_RDLCK: sys.F_RDLCK, F_WRLCK: sys.F_WRLCK, F_UNLCK: sys.F_UNLCK, O_NONBLOCK: sys.O_NONBLOCK,
  AF_UNIX: sys.AF_UNIX, SOCK_STREAM: sys.SOCK_STREAM, SOCK_DGRAM: sys.SOCK_DGRAM, SOCK_CLOEXEC: sys.SOCK_CLOEXEC,
  SOL_SOCKET: sys.SOL_SOCKET, SCM_RIGHTS: sys.SCM_RIGHTS, MSG_DONTWAIT: sys.MSG_DONTWAIT,
  MSG_CMSG_CLOEXEC: sys.MSG_CMSG_CLOEXEC, AF_INET: sys.AF_INET, AF_INET6: sys.AF_INET6,
  REG_EXTENDED: sys.REG_EXTENDED, REG_ICASE: sys.REG_ICASE, REG_NEWLINE: sys.REG_NEWLINE, REG_NOSUB: sys.REG_NOSUB,
  REG_NOMATCH: sys.REG_NOMATCH, 'sizeof(regmatch_t)': sys.SIZEOF_REGMATCH,
  'CMSG_SPACE(sizeof(int))': sys.CMSG_SPACE_INT, 'CMSG_LEN(sizeof(int))': sys.CMSG_LEN_INT,
  'sizeof(((struct sockaddr_un *) 0)->sun_path)': sys.SUN_PATH_MAX,
  LOG_PID: syslog.LOG_PID, LOG_NDELAY: syslog.LOG_NDELAY, LOG_CONS: syslog.LOG_CONS,
  LOG_CRIT: syslog.LOG_CRIT, LOG_ERR: syslog.LOG_ERR, LOG_WARNING: syslog.LOG_WARNING, LOG_INFO: syslog.LOG_INFO,
  LOG_KERN: syslog.LOG_KERN, LOG_USER: syslog.LOG_USER, LOG_MAIL: syslog.LOG_MAIL, LOG_DAEMON: syslog.LOG_DAEMON,
};

test('structure layouts and constants match the C headers', (t) => {
  const lines: string[] = [];
  for (const [struct, members] of Object.entries(sys.LAYOUT)) {
    for (const [member, value] of Object.entries(members)) {
      const expr = member === 'size' ? `sizeof(struct ${struct})` : `offsetof(struct ${struct}, ${member})`;
      lines.push(`  printf("%s %ld %ld\\n", ${JSON.stringify(expr)}, (long) ${expr}, ${value}L);`);
    }
  }
  for (const [name, value] of Object.entries(CONSTANTS)) {
    lines.push(`  printf("%s %ld %ld\\n", ${JSON.stringify(name)}, (long) (${name}), ${value}L);`);
  }
  const dir = tempDir(t);
  const source = join(dir, 'layout.c');
  writeFileSync(source, `#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
int main(void)
{
${lines.join('\n')}
  return 0;
}
`);
  execFileSync(process.env.CC || 'cc', ['-Wall', '-Werror', '-o', join(dir, 'layout'), source]);
  const output = execFileSync(join(dir, 'layout'), { encoding: 'latin1' }).trim().split('\n');
  t.is(output.length, lines.length);
  for (const line of output) {
    const [what, real, ours] = line.split(/ (?=-?\d+ -?\d+$)| (?=-?\d+$)/);
    t.is(ours, real, what);
  }
});

test('sysError: Node-style errors that strerror prints as glibc does', (t) => {
  const again = sys.sysError('flock', sys.EAGAIN);
  t.like(again, { code: 'EAGAIN', errno: -sys.EAGAIN, syscall: 'flock' });
  t.is(strerror(again), 'Resource temporarily unavailable');
  const missing = sys.sysError('connect', 2, '/no/such');
  t.like(missing, { code: 'ENOENT', path: '/no/such' });
  t.is(strerror(missing), 'No such file or directory');
  t.is(strerror(sys.sysError('x', 35)), 'Resource deadlock avoided');
});

test('lock operation codes are the Postfix ones', (t) => {
  t.deepEqual(
    [myflock.MYFLOCK_STYLE_FLOCK, myflock.MYFLOCK_STYLE_FCNTL, myflock.MYFLOCK_OP_NONE, myflock.MYFLOCK_OP_SHARED,
      myflock.MYFLOCK_OP_EXCLUSIVE, myflock.MYFLOCK_OP_NOWAIT, myflock.MYFLOCK_OP_BITS],
    [1, 2, 0, 1, 2, 4, 7],
  );
});
