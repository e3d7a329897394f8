/*
 * dict_open - the registry of lookup table types ("hash", "regexp", ...).
 * Counterpart: postfix/src/util/dict_open.c (dict_open_register, dict_mapnames). Each
 * table implementation registers its type here when it lands; postconf -m lists exactly
 * what is registered, so that it never claims a type this implementation lacks.
 */
import { msg } from './msg.js';

/** What a table type provides; filled in by the table issue. */
export interface DictType {
  readonly type: string;
}

const dictTypes = new Map<string, DictType>();

/** Postfix: dict_open_register(). */
export function dictOpenRegister(info: DictType): void {
  if (dictTypes.has(info.type)) msg.panic(`dict_open_register: dictionary type exists: ${info.type}`);
  dictTypes.set(info.type, info);
}

/** Postfix: dict_mapnames(): the registered types, sorted. */
export function dictMapnames(): string[] {
  return [...dictTypes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
