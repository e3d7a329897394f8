/*
 * duplex_pipe - a pair of connected UNIX-domain stream sockets.
 * Counterpart: postfix/src/util/duplex_pipe.c (socketpair() on Linux). Both ends are
 * close-on-exec; a child process gets one end only when it is handed over explicitly
 * (child_process stdio), which clears the flag on the child's copy.
 */
import { check, libc, AF_UNIX, SOCK_CLOEXEC, SOCK_STREAM } from './sys_libc.js';

/** Postfix: duplex_pipe(). */
export function duplexPipe(): [number, number] {
  const fds = Buffer.alloc(8);
  check(libc().socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 'socketpair');
  return [fds.readInt32LE(0), fds.readInt32LE(4)];
}
