/*
 * master_flow - the flow-control pipe that every child gets as descriptors 3 (read end)
 * and 4 (write end): cleanup takes a token per message, qmgr puts tokens back.
 * Counterpart: postfix/src/master/master_flow.c. Both ends non-blocking, close-on-exec.
 */
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { O_CLOEXEC, O_NONBLOCK, pipe2 } from '../util/sys_process.js';

/** Postfix: master_flow_pipe[]; [read end, write end], once master_flow_init() ran. */
export const masterFlowPipe: [number, number] = [-1, -1];

/** Postfix: master_flow_init(). */
export function masterFlowInit(): void {
  const myname = 'master_flow_init';
  try {
    [masterFlowPipe[0], masterFlowPipe[1]] = pipe2(O_CLOEXEC | O_NONBLOCK);
  } catch (err) {
    msg.fatal(`${myname}: pipe: ${strerror(err)}`);
  }
}
