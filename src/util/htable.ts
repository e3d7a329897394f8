/*
 * htable - a hash table that lists its members in the same order as Postfix's.
 * Counterpart: postfix/src/util/htable.c with hash_fnv.c. Only the listing order
 * matters to us: postconf -e appends new main.cf settings in htable_list() order, so
 * matching the reference byte for byte needs the same buckets, chains and growth.
 * Like Postfix, the hash is seeded randomly unless NORANDOMIZE is set.
 */
import { randomBytes } from 'node:crypto';

const FNV_PRIME = 0x100000001b3n;
const FNV_BASIS = 0xcbf29ce484222325n;
const MASK64 = (1n << 64n) - 1n;
let basis: bigint | undefined;

/** Postfix: hash_fnv() (64-bit FNV-1a, each byte plus one). */
export function hashFnv(key: string): bigint {
  if (basis === undefined) {
    basis = FNV_BASIS;
    if (process.env.NORANDOMIZE === undefined) basis ^= randomBytes(8).readBigUInt64LE();
  }
  let hash = basis;
  for (let i = 0; i < key.length; i++) {
    hash ^= BigInt((key.charCodeAt(i) & 0xff) + 1);
    hash = (hash * FNV_PRIME) & MASK64;
  }
  return hash;
}

export class HTable<V> {
  private buckets: { key: string; value: V }[][] = [];
  private used = 0;

  constructor(size: number) {
    this.resize(size < 13 ? 13 : size);
  }

  private resize(size: number): void {
    size |= 1;
    this.buckets = Array.from({ length: size }, () => []);
    this.used = 0;
  }

  private bucket(key: string): { key: string; value: V }[] {
    return this.buckets[Number(hashFnv(key) % BigInt(this.buckets.length))]!;
  }

  /** Postfix: htable_enter(); the new member goes to the head of its chain. */
  enter(key: string, value: V): void {
    if (this.used >= this.buckets.length) {
      const old = this.buckets;
      this.resize(2 * old.length);
      for (const chain of old) for (const member of chain) this.link(member);
    }
    this.link({ key, value });
  }

  private link(member: { key: string; value: V }): void {
    this.bucket(member.key).unshift(member);
    this.used++;
  }

  /** Postfix: htable_locate() and an assignment to its value; false when absent. */
  replace(key: string, value: V): boolean {
    const member = this.bucket(key).find((m) => m.key === key);
    if (member === undefined) return false;
    member.value = value;
    return true;
  }

  find(key: string): V | undefined {
    return this.bucket(key).find((m) => m.key === key)?.value;
  }

  delete(key: string): void {
    const chain = this.bucket(key);
    const at = chain.findIndex((m) => m.key === key);
    if (at >= 0) {
      chain.splice(at, 1);
      this.used--;
    }
  }

  /** Postfix: htable_list(). */
  list(): [string, V][] {
    return this.buckets.flatMap((chain) => chain.map((m) => [m.key, m.value] as [string, V]));
  }
}
