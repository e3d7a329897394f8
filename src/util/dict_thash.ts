/*
 * dict_thash - the "texthash" table type: a postmap source file read into memory.
 * Counterpart: postfix/src/util/dict_thash.c. The line syntax (key, white space, value;
 * quotes and backslashes protect white space in the key) is shared with postmap through
 * splitTableLine(). A file that changed during the last second is read again, as Postfix
 * does, so that a table being written is not half read.
 */
import { fstatSync, openSync, readFileSync, closeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { msg } from './msg.js';
import { strerror } from './strerror.js';
import { readLogicalLines } from './readlline.js';
import { allAscii, cString, isSpace, trimBlanks, validUtf8String } from './stringops.js';
import {
  type Dict, DICT_FLAG_DUP_IGNORE, DICT_FLAG_DUP_REPLACE, DICT_FLAG_DUP_WARN, DICT_FLAG_SRC_RHS_IS_FILE,
  DICT_FLAG_UTF8_ACTIVE, O_RDONLY, dictDebug, dictSurrogate, dictTypeOverride,
} from './dict.js';
import { dictFileToB64 } from './dict_file.js';
import { dictOpen3 } from './dict_open.js';

/**
 * Split a source line into key and value: the key ends at the first white space outside
 * double quotes (a backslash protects the next character), and stays quoted as written.
 * Returns 'unbalanced' for an unterminated quote.
 */
export function splitTableLine(line: string): { key: string; value: string } | 'unbalanced' {
  const text = cString(line);
  let inQuotes = false;
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      if (++i >= text.length) break;
    } else if (isSpace(ch)) {
      if (!inQuotes) break;
    } else if (ch === '"') {
      inQuotes = !inQuotes;
    }
  }
  if (inQuotes) return 'unbalanced';
  const key = text.slice(0, i);
  let v = i + 1;
  while (v < text.length && isSpace(text[v])) v++;
  return { key, value: trimBlanks(text.slice(v)) };
}

/** A line whose bytes are not UTF-8, when the table checks UTF-8. */
function nonUtf8Line(dict: Dict, line: string): boolean {
  const text = cString(line);
  return (dict.flags & DICT_FLAG_UTF8_ACTIVE) !== 0 && !allAscii(text) && !validUtf8String(text);
}

/** Postfix: time(): whole seconds. */
const now = () => Math.floor(Date.now() / 1000);

/** Postfix: dict_thash_open(). */
export async function dictThashOpen(path: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (openFlags !== O_RDONLY) {
    return dictSurrogate('texthash', path, openFlags, dictFlags, `texthash:${path} map requires O_RDONLY access mode`);
  }
  for (let before = now(); ;) {
    let text: string;
    let mtime: number;
    let uid: number;
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      return dictSurrogate('texthash', path, openFlags, dictFlags, `open database ${path}: ${strerror(err)}`);
    }
    try {
      text = readFileSync(fd, 'latin1');
      const st = fstatSync(fd);
      mtime = Math.floor(st.mtimeMs / 1000);
      uid = st.uid;
    } catch (err) {
      msg.fatal(`read ${path}: ${strerror(err)}`);
    } finally {
      closeSync(fd);
    }
    const dict = await dictOpen3('internal', path, openFlags, dictFlags);
    dictTypeOverride(dict, 'texthash');
    for (const { text: line, lineno } of readLogicalLines(text, path)) {
      if (nonUtf8Line(dict, line)) {
        msg.warn(`${path}, line ${lineno}: non-UTF-8 input "${cString(line)}" -- ignoring this line`);
        continue;
      }
      const split = splitTableLine(line);
      if (split === 'unbalanced') {
        msg.warn(`${path}, line ${lineno}: unbalanced '"' in '${cString(line)}' -- ignoring this line`);
        continue;
      }
      const { key } = split;
      let { value } = split;
      if (key === '' || value === '') {
        msg.warn(`${path}, line ${lineno}: expected format: key whitespace value -- ignoring this line`);
        continue;
      }
      if (key.endsWith(':')) msg.warn(`${path}, line ${lineno}: record is in "key: value" format; is this an alias file?`);
      if (dictFlags & DICT_FLAG_SRC_RHS_IS_FILE) {
        const b64 = dictFileToB64(dict, value);
        if (b64 === null) {
          msg.warn(`${path}, line ${lineno}: ${dict.fileError}: skipping this entry`);
          continue;
        }
        value = b64;
      }
      if (await dict.lookup(key) !== null) {
        if (dictFlags & DICT_FLAG_DUP_IGNORE) {
          // keep the first
        } else if (dictFlags & DICT_FLAG_DUP_REPLACE) {
          await dict.update(key, value);
        } else if (dictFlags & DICT_FLAG_DUP_WARN) {
          msg.warn(`${path}, line ${lineno}: duplicate entry: "${key}"`);
        } else {
          await dict.close();
          return dictSurrogate('texthash', path, openFlags, dictFlags, `${path}, line ${lineno}: duplicate entry: "${key}"`);
        }
      } else {
        await dict.update(key, value);
      }
    }
    // A file modified since just before we started may be in the middle of a rewrite.
    const after = now();
    if (mtime < before - 1 || mtime > after) {
      dict.owner = { status: uid !== 0 ? 1 : 0, uid };
      return dictDebug(dict);
    }
    await dict.close();
    if (msg.verbose > 1) msg.info(`pausing to let file ${path} cool down`);
    await sleep(300);
    before = after;
  }
}
