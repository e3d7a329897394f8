/*
 * compat_level - compatibility level values ("2", "3.6", "3.6.1") and their comparison.
 * Counterpart: postfix/src/global/compat_level.c. Registers the "<level" family of
 * operators with mac_expand, so that ${{$compatibility_level} <level {3.6} ? ...} works.
 */
import { msg } from '../util/msg.js';
import { macExpandAddRelop, relopResult, type RelopResult } from '../util/mac_expand.js';

const MINOR_BITS = 0x3ff;
const PATCH_BITS = 0x3ff;

/** Postfix: compat_level_from_string(); -1 (after a warning) when malformed. */
export function compatLevelFromString(text: string, report: (t: string) => void = msg.warn): bigint {
  const m = /^([0-9]+)(?:\.([0-9]+)(?:\.([0-9]+))?)?$/.exec(text);
  if (m !== null) {
    const major = BigInt(m[1]!);
    const minor = m[2] === undefined ? 0n : BigInt(m[2]);
    const patch = m[3] === undefined ? 0n : BigInt(m[3]);
    if (major <= (2n ** 63n - 1n) >> 20n && minor <= BigInt(MINOR_BITS) && patch <= BigInt(PATCH_BITS)) {
      return (major << 20n) | (minor << 10n) | patch;
    }
  }
  report(`malformed compatibility level syntax: "${text}"`);
  return -1n;
}

function compatRelop(left: string, op: string, right: string): RelopResult {
  const l = compatLevelFromString(left);
  if (l < 0n) return 'error';
  const r = compatLevelFromString(right);
  if (r < 0n) return 'error';
  return relopResult(l === r ? 0 : l < r ? -1 : 1, op);
}

let registered = false;

/** Postfix: compat_level_relop_register(). */
export function compatLevelRelopRegister(): void {
  if (registered) return;
  registered = true;
  macExpandAddRelop('level', compatRelop);
}
