/*
 * casefold - Unicode case folding of UTF-8 byte strings, for table keys with SMTPUTF8.
 * Counterpart: postfix/src/util/casefold.c. Like Postfix we use ICU's
 * ucasemap_utf8FoldCase() ("en_US", default options), loaded through koffi on first use,
 * so that keys fold exactly as the reference folds them; ASCII text never loads ICU.
 */
import koffi from 'koffi';
import { readdirSync } from 'node:fs';
import { msg } from './msg.js';
import { allAscii, lowercase } from './stringops.js';

interface Icu {
  open(locale: string, options: number, error: Int32Array): unknown;
  fold(csm: unknown, dest: Buffer | null, capacity: number, src: Buffer, len: number, error: Int32Array): number;
  errorName(code: number): string;
}

const U_BUFFER_OVERFLOW_ERROR = 15;
const LIB_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib'];

let icu: Icu | undefined;
let caseMap: unknown;

/* ICU versions its symbols (ucasemap_open_72); the library name says which suffix. */
function loadIcu(): Icu {
  if (icu !== undefined) return icu;
  for (const dir of LIB_DIRS) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    const found = names.map((n) => /^libicuuc\.so\.(\d+)$/.exec(n)).find((m) => m !== null);
    if (!found) continue;
    const lib = koffi.load(`${dir}/${found[0]}`);
    const v = found[1];
    icu = {
      open: lib.func(`void *ucasemap_open_${v}(const char *locale, uint32_t options, _Out_ int32_t *error)`),
      fold: lib.func(`int32_t ucasemap_utf8FoldCase_${v}(void *csm, _Out_ uint8_t *dest, int32_t cap, const uint8_t *src, int32_t len, _Inout_ int32_t *error)`),
      errorName: lib.func(`const char *u_errorName_${v}(int32_t code)`),
    };
    return icu;
  }
  return msg.fatal('casefold: cannot find the ICU library libicuuc');
}

/** Postfix: casefold() with UTF-8 enabled. Bytes that are not UTF-8 pass unchanged. */
export function casefoldUtf8(text: string): string {
  if (allAscii(text)) return lowercase(text);
  const lib = loadIcu();
  const error = new Int32Array(1);
  if (caseMap === undefined) {
    caseMap = lib.open('en_US', 0, error);
    if (error[0]! > 0) msg.fatal(`ucasemap_open error: ${lib.errorName(error[0]!)}`);
  }
  const src = Buffer.from(text, 'latin1');
  let capacity = src.length * 3 + 16;
  for (let n = 0; n < 3; n++) {
    const dest = Buffer.alloc(capacity);
    error[0] = 0;
    const needed = lib.fold(caseMap, dest, capacity, src, src.length, error);
    if (error[0]! <= 0) return dest.subarray(0, needed).toString('latin1');
    if (error[0] !== U_BUFFER_OVERFLOW_ERROR) msg.fatal(`casefold: conversion error for "${text}": ${lib.errorName(error[0]!)}`);
    capacity = needed + 1;
  }
  return msg.fatal(`casefold: conversion error for "${text}": U_BUFFER_OVERFLOW_ERROR`);
}
