/*
 * msg - diagnostics: info, warning, error, fatal and panic, to every registered output.
 * Counterpart: postfix/src/util/msg.c, msg_output.c and msg_vstream.c.
 * Texts are byte strings; unprintable bytes become '?' before any output sees them. A fatal
 * error pauses one second (this also slows down a crash-restart loop) and exits without
 * flushing buffered standard output, like _exit() in Postfix.
 */
import { printable } from './printable.js';
import { writeAll, discardOnExit } from './vstream.js';

export const MSG_INFO = 0;
export const MSG_WARN = 1;
export const MSG_ERROR = 2;
export const MSG_FATAL = 3;
export const MSG_PANIC = 4;
export type MsgLevel = typeof MSG_INFO | typeof MSG_WARN | typeof MSG_ERROR | typeof MSG_FATAL | typeof MSG_PANIC;

export type MsgOutput = (level: MsgLevel, text: string) => void;

const LEVEL_TEXT = ['info', 'warning', 'error', 'fatal', 'panic'] as const;

const outputs: MsgOutput[] = [];
let cleanupHook: (() => void) | undefined;
let exiting = 0;
let errorCount = 0;
let errorBound = 13;
let nesting = 0;

/** Postfix: msg_output(). */
export function msgOutputAdd(fn: MsgOutput): void {
  outputs.push(fn);
}

/** Postfix: msg_vstream_init(): report to a descriptor as "tag: level: text". */
export function msgVstreamInit(tag: string, fd = 2): void {
  msgStderrTag = tag;
  if (stderrRegistered) return;
  stderrRegistered = true;
  msgOutputAdd((level, text) => {
    const line = level === MSG_INFO ? `${msgStderrTag}: ${text}\n` : `${msgStderrTag}: ${LEVEL_TEXT[level]}: ${text}\n`;
    writeAll(fd, Buffer.from(line, 'latin1'));
  });
}
let msgStderrTag = 'unknown';
let stderrRegistered = false;

function report(level: MsgLevel, text: string): void {
  if (nesting >= 2) return; // an output that reports trouble of its own
  nesting++;
  try {
    if (outputs.length === 0) msgVstreamInit('unknown');
    const clean = printable(text, '?');
    for (const out of outputs) out(level, clean);
  } finally {
    nesting--;
  }
}

/** Postfix: msg_printf(): report at any level, without exiting or counting errors. */
export function msgPrintf(level: MsgLevel, text: string): void {
  report(level, text);
}

function sleepOneSecond(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

function die(level: MsgLevel, status: number, text: string): never {
  if (exiting++ === 0) {
    report(level, text);
    if (level === MSG_FATAL && cleanupHook) cleanupHook();
  }
  sleepOneSecond();
  discardOnExit();
  if (level === MSG_PANIC) process.abort();
  process.exit(status);
}

/** The diagnostics interface; typed explicitly so that TypeScript knows fatal() ends the flow. */
export interface Msg {
  verbose: number;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  fatal(text: string): never;
  fatalStatus(status: number, text: string): never;
  panic(text: string): never;
  setCleanup(fn: (() => void) | undefined): (() => void) | undefined;
  errorLimit(limit: number): number;
}

export const msg: Msg = {
  /** Postfix: msg_verbose, raised by each -v. */
  verbose: 0,

  info(text: string): void {
    report(MSG_INFO, text);
  },
  warn(text: string): void {
    report(MSG_WARN, text);
  },
  /** Counts toward the error limit (13 by default); past it the program dies. */
  error(text: string): void {
    report(MSG_ERROR, text);
    if (++errorCount >= errorBound) msg.fatal('too many errors - program terminated');
  },
  fatal(text: string): never {
    return die(MSG_FATAL, 1, text);
  },
  /** Only where Postfix uses msg_fatal_status() with a sysexits code. */
  fatalStatus(status: number, text: string): never {
    return die(MSG_FATAL, status, text);
  },
  panic(text: string): never {
    return die(MSG_PANIC, 1, text);
  },
  /** Postfix: msg_cleanup(); runs once, before a fatal exit. */
  setCleanup(fn: (() => void) | undefined): (() => void) | undefined {
    const old = cleanupHook;
    cleanupHook = fn;
    return old;
  },
  /** Postfix: msg_error_limit(). */
  errorLimit(limit: number): number {
    const old = errorBound;
    errorBound = limit;
    return old;
  },
};
