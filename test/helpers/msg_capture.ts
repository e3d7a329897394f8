/*
 * msg_capture - collect what our msg.* calls report, in-process, formatted as the stderr
 * lines of a program named tag would be. One capture at a time: tests that use it are serial.
 */
import { MSG_INFO, msgOutputAdd } from '../../src/util/msg.js';

const LEVELS = ['', 'warning: ', 'error: ', 'fatal: ', 'panic: '];
let sink: string[] | null = null;
let tag = 'test';
let installed = false;

/** Start collecting; returns the array the lines go to. */
export function startMsgCapture(name = 'test'): string[] {
  if (!installed) {
    installed = true;
    msgOutputAdd((level, text) => {
      sink?.push(`${tag}: ${level === MSG_INFO ? '' : LEVELS[level]}${text}\n`);
    });
  }
  tag = name;
  sink = [];
  return sink;
}

export function stopMsgCapture(): void {
  sink = null;
}
