/*
 * name_mask - turn a list of names into a bit mask, by table.
 * Counterpart: postfix/src/util/name_mask.c (name_mask_opt with NAME_MASK_FATAL, the
 * default). Names are separated by commas and white space; an unknown name is fatal.
 */
import { msg } from './msg.js';

/** Postfix: name_mask_opt(); anyCase for NAME_MASK_ANY_CASE. */
export function nameMask(context: string, table: Readonly<Record<string, number>>, names: string, anyCase = false): number {
  let mask = 0;
  for (const word of names.split(/[, \t\r\n]+/).filter((w) => w !== '')) {
    const key = anyCase ? Object.keys(table).find((k) => k.toLowerCase() === word.toLowerCase()) : word;
    const bits = key === undefined ? undefined : table[key];
    if (bits === undefined) msg.fatal(`unknown ${context} value "${word}" in "${names}"`);
    if (msg.verbose) msg.info(`name_mask: ${word}`);
    mask |= bits;
  }
  return mask;
}
