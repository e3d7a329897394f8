/*
 * cidr_match - address patterns "net/len", "[net]/len" and "addr", and IF/ENDIF blocks of
 * them, matched against IPv4 and IPv6 address strings.
 * Counterpart: postfix/src/util/cidr_match.c. Addresses are parsed and printed by the C
 * library's inet_pton()/inet_ntop(), so that what is accepted and how it is shown in
 * warnings is the reference's, byte for byte.
 */
import { AF_INET, AF_INET6, libc } from './sys_libc.js';
import { allDigits } from './stringops.js';

export const CIDR_MATCH_OP_MATCH = 3;
export const CIDR_MATCH_OP_IF = 4;
export const CIDR_MATCH_OP_ENDIF = 5;

export interface CidrMatch {
  op: number;
  match: boolean;
  family: number;
  net: Buffer;
  mask: Buffer;
  bitCount: number;
  maskShift: number;
  /** For IF: the index of the matching ENDIF in the rule list, or -1. */
  blockEnd: number;
}

/** inet_pton() of the C library: the address bytes, or null. */
export function inetPton(family: number, text: string): Buffer | null {
  const dst = Buffer.alloc(16);
  const src = Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(1)]);
  if (libc().inet_pton(family, src, dst) !== 1) return null;
  return dst.subarray(0, family === AF_INET6 ? 16 : 4);
}

/** inet_ntop() of the C library. */
export function inetNtop(family: number, bytes: Buffer): string {
  const src = Buffer.alloc(16);
  bytes.copy(src);
  const dst = Buffer.alloc(64);
  libc().inet_ntop(family, src, dst, dst.length);
  return dst.subarray(0, dst.indexOf(0)).toString('latin1');
}

/** Postfix: mask_addr(): clear every bit after the first networkBits. */
export function maskAddr(bytes: Buffer, networkBits: number): void {
  let p = networkBits >> 3;
  const rest = networkBits & 7;
  if (rest !== 0) bytes[p] = bytes[p++]! & (0xff << (8 - rest)) & 0xff;
  while (p < bytes.length) bytes[p++] = 0;
}

const familyOf = (addr: string) => (addr.includes(':') ? AF_INET6 : AF_INET);

/** C atoi() of a digit string, as it lands in an unsigned char. */
function maskLength(digits: string): number {
  let value = BigInt(digits);
  const LONG_MAX = (1n << 63n) - 1n;
  if (value > LONG_MAX) value = LONG_MAX;
  return Number(BigInt.asIntN(32, value)) & 0xff;
}

/** Postfix: cidr_match_parse(). The rule, or the reason why the pattern is bad. */
export function cidrMatchParse(text: string, match: boolean): CidrMatch | string {
  let pattern = text;
  let maskSearch: string | undefined;
  if (pattern[0] === '[') {
    pattern = pattern.slice(1);
    const close = pattern.indexOf(']');
    if (close < 0) return `missing ']' character after "[${pattern}"`;
    const after = pattern.slice(close + 1);
    pattern = pattern.slice(0, close);
    if (after[0] === '/') maskSearch = after;
    else if (after !== '') return `garbage after "[${pattern}]"`;
  }
  let maskText: string | undefined;
  if (maskSearch !== undefined) {
    maskText = maskSearch.slice(1);
  } else {
    const slash = pattern.indexOf('/');
    if (slash >= 0) {
      maskText = pattern.slice(slash + 1);
      pattern = pattern.slice(0, slash);
    }
  }
  const family = familyOf(pattern);
  const bitCount = family === AF_INET6 ? 128 : 32;
  const byteCount = bitCount / 8;
  if (maskText !== undefined) {
    let maskShift = 0;
    let net: Buffer | null = null;
    let problem: string | undefined;
    if (!allDigits(maskText)) problem = 'bad mask value';
    else if ((maskShift = maskLength(maskText)) > bitCount) problem = 'bad mask length';
    else if ((net = inetPton(family, pattern)) === null) problem = 'bad network value';
    if (problem !== undefined) return `${problem} in "${pattern}/${maskText}"`;
    const mask = Buffer.alloc(byteCount, maskShift > 0 ? 0xff : 0);
    if (maskShift > 0) maskAddr(mask, maskShift);
    for (let i = 0; i < byteCount; i++) {
      if (net![i]! & ~mask[i]!) {
        maskAddr(net!, maskShift);
        return `non-null host address bits in "${pattern}/${maskText}", perhaps you should use "${inetNtop(family, net!)}/${maskShift}" instead`;
      }
    }
    return { op: CIDR_MATCH_OP_MATCH, match, family, net: net!, mask, bitCount, maskShift, blockEnd: -1 };
  }
  const net = inetPton(family, pattern);
  if (net === null) return `bad address pattern: "${pattern}"`;
  return { op: CIDR_MATCH_OP_MATCH, match, family, net, mask: Buffer.alloc(byteCount, 0xff), bitCount, maskShift: bitCount, blockEnd: -1 };
}

/** Postfix: cidr_match_endif(). */
export function cidrMatchEndif(): CidrMatch {
  return { op: CIDR_MATCH_OP_ENDIF, match: false, family: 0, net: Buffer.alloc(0), mask: Buffer.alloc(0), bitCount: 0, maskShift: 0, blockEnd: -1 };
}

function matchEntry(entry: CidrMatch, addr: Buffer): boolean {
  for (let i = 0; i < entry.net.length; i++) {
    if ((addr[i]! & entry.mask[i]!) !== entry.net[i]) return !entry.match;
  }
  return entry.match;
}

/** Postfix: cidr_match_execute(): the index of the first rule that matches, or -1. */
export function cidrMatchExecute(rules: readonly CidrMatch[], addrText: string): number {
  const family = familyOf(addrText);
  const addr = inetPton(family, addrText);
  if (addr === null) return -1;
  for (let i = 0; i < rules.length; i++) {
    const entry = rules[i]!;
    if (entry.op === CIDR_MATCH_OP_MATCH) {
      if (entry.family === family && matchEntry(entry, addr)) return i;
    } else if (entry.op === CIDR_MATCH_OP_IF) {
      if (entry.family === family && matchEntry(entry, addr)) continue;
      // An IF without ENDIF ends the search.
      if (entry.blockEnd < 0) return -1;
      i = entry.blockEnd;
    }
  }
  return -1;
}
