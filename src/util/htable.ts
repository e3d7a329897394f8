/*
 * htable - a hash table that lists its members in the same order as Postfix's.
 * Counterpart: postfix/src/util/htable.c with hash_fnv.c. Only the listing order
 * matters to us: postconf -e appends new main.cf settings in htable_list() order, so
 * matching the reference byte for byte needs the same buckets, chains and growth.
 * Like Postfix, the hash is seeded randomly unless NORANDOMIZE is set.
 */
import { randomBytes } from 'node:crypto';

/* FNV-1a, 64 bits, kept as two 32-bit halves: the prime is 2^40 + 0x1b3. */
const FNV_BASIS_HI = 0xcbf29ce4;
const FNV_BASIS_LO = 0x84222325;
const TWO32 = 4294967296;
let basis: [number, number] | undefined;

function hashBasis(): [number, number] {
  if (basis === undefined) {
    basis = [FNV_BASIS_HI, FNV_BASIS_LO];
    if (process.env.NORANDOMIZE === undefined) {
      const seed = randomBytes(8);
      basis = [(FNV_BASIS_HI ^ seed.readUInt32LE(4)) >>> 0, (FNV_BASIS_LO ^ seed.readUInt32LE(0)) >>> 0];
    }
  }
  return basis;
}

/** Postfix: hash_fnv() (64-bit FNV-1a, each byte plus one), as [high, low] 32-bit halves. */
function hashFnv(key: string): [number, number] {
  let [hi, lo] = hashBasis();
  for (let i = 0; i < key.length; i++) {
    lo = (lo ^ ((key.charCodeAt(i) & 0xff) + 1)) >>> 0;
    const low = lo * 0x1b3; // exact: below 2^41
    const carry = Math.floor(low / TWO32);
    hi = (hi * 0x1b3 + carry + ((lo * 256) % TWO32)) % TWO32;
    lo = low % TWO32;
  }
  return [hi, lo];
}

/** The 64-bit hash modulo a table size, without 64-bit integers. */
function hashIndex(key: string, size: number): number {
  const [hi, lo] = hashFnv(key);
  return ((hi % size) * (TWO32 % size) + (lo % size)) % size;
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
    return this.buckets[hashIndex(key, this.buckets.length)]!;
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
