/*
 * master_sig - master's signals: SIGHUP reloads the configuration, SIGCHLD reaps children,
 * and SIGINT, SIGQUIT, SIGILL, SIGBUS, SIGSEGV and SIGTERM terminate master after it sent
 * SIGTERM to its whole process group ("women and children first").
 * Counterpart: postfix/src/master/master_sig.c. Node runs the handlers from its event
 * loop, where Postfix sets flags for its main loop; the order of work is the same.
 */
import { constants } from 'node:os';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';

const DEATH_SIGNALS = ['SIGINT', 'SIGQUIT', 'SIGILL', 'SIGBUS', 'SIGSEGV', 'SIGTERM'] as const;

let initMode = false;
let dying = false;

/** Postfix: the init_mode global (master -i). */
export function masterInitMode(): boolean {
  return initMode;
}

export function setMasterInitMode(value: boolean): void {
  initMode = value;
}

/** Postfix: master_sigdeath(). */
function masterSigdeath(name: NodeJS.Signals): void {
  const myname = 'master_sigdeath';
  // Our own SIGTERM to the process group comes back to us: ignore it from now on.
  if (dying) return;
  dying = true;
  const sig = constants.signals[name];
  // Postfix: killme_after(5).
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 5000).unref();
  try {
    process.kill(-process.pid, 'SIGTERM');
  } catch (err) {
    msg.fatal(`${myname}: kill process group: ${strerror(err)}`);
  }
  msg.info(`terminating on signal ${sig}`);
  if (initMode) process.exit(0);
  // Die by the same signal: without a listener, Node restores its default action.
  process.removeAllListeners(name);
  try {
    process.kill(process.pid, name);
  } catch (err) {
    msg.fatal(`${myname}: kill myself: ${strerror(err)}`);
  }
}

/** Postfix: master_sigsetup(). */
export function masterSigsetup(onHangup: () => void, onChild: () => void): void {
  for (const name of DEATH_SIGNALS) process.on(name, () => masterSigdeath(name));
  process.on('SIGHUP', () => {
    if (!dying) onHangup();
  });
  process.on('SIGCHLD', () => {
    if (msg.verbose) msg.info('got sigchld');
    onChild();
  });
}
