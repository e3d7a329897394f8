/*
 * dict_file - table values that name files: the files' contents, base64-encoded, are
 * what the table stores (postmap -F, and the open functions with DICT_FLAG_SRC_RHS_IS_FILE).
 * Counterpart: postfix/src/util/dict_file.c. Errors are returned as null with the reason
 * in dict.fileError, worded as Postfix words them.
 */
import { readFileSync } from 'node:fs';
import { msg } from './msg.js';
import { isErrno, strerror } from './strerror.js';
import { base64Decode, base64Encode } from './base64_code.js';
import { splitAny } from './stringops.js';
import { DICT_ERR_CONFIG, DICT_FLAG_SRC_RHS_IS_FILE, type Dict } from './dict.js';

/** Postfix: dict_file_to_buf(): the named files' contents, joined with newlines. */
export function dictFileToBuf(dict: Dict, pathnames: string): string | null {
  const paths = splitAny(pathnames);
  if (paths.length === 0) {
    dict.fileError = `empty pathname list: >>${pathnames}<<'`;
    return null;
  }
  const parts: string[] = [];
  for (const path of paths) {
    try {
      parts.push(readFileSync(path, 'latin1'));
    } catch (err) {
      // open(2) succeeds on a directory; it is read(2) that fails.
      dict.fileError = `${isErrno(err, 'EISDIR') ? 'read' : 'open'} ${path}: ${strerror(err)}`;
      return null;
    }
  }
  return parts.join('\n');
}

/** Postfix: dict_file_to_b64(). */
export function dictFileToB64(dict: Dict, pathnames: string): string | null {
  const text = dictFileToBuf(dict, pathnames);
  return text === null ? null : base64Encode(text);
}

/** Postfix: dict_file_from_b64(). */
export function dictFileFromB64(dict: Dict, value: string): string | null {
  const text = base64Decode(value);
  if (text === null) dict.fileError = `malformed BASE64 value: ${value.slice(0, 30)}`;
  return text;
}

/** Postfix: dict_file_lookup(): look up and decode a value that came from a file. */
export async function dictFileLookup(dict: Dict, key: string): Promise<string | null> {
  if ((dict.flags & DICT_FLAG_SRC_RHS_IS_FILE) === 0) {
    return msg.panic('dict_file_lookup: dictionary opened without DICT_FLAG_SRC_RHS_IS_FILE');
  }
  const value = await dict.lookup(key);
  if (value === null) return null;
  const text = dictFileFromB64(dict, value);
  if (text === null) {
    msg.warn(`table ${dict.type}:${dict.name}: key ${key}: ${dict.fileError}`);
    dict.error = DICT_ERR_CONFIG;
    return null;
  }
  return text;
}
