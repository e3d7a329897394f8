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
    // The high half gains the low half's carry and the 2^40 part of the prime (lo << 8).
    hi = (Math.imul(hi, 0x1b3) + ((low / TWO32) >>> 0) + (lo << 8)) >>> 0;
    lo = low >>> 0;
  }
  return [hi, lo];
}

/** The 64-bit hash (as halves) modulo a table size, without 64-bit integers. */
function hashIndex(hi: number, lo: number, size: number): number {
  return ((hi % size) * (TWO32 % size) + (lo % size)) % size;
}

interface Member<V> {
  key: string;
  value: V;
  /** The key's hash, kept for resizing. */
  hi: number;
  lo: number;
  /** The next member of the chain. */
  next: Member<V> | undefined;
}

/*
 * The buckets are kept only for the listing order; lookups go through a Map, so that a
 * large table (texthash with 100k lines) costs one hash computation per new key.
 */
export class HTable<V> {
  private buckets: (Member<V> | undefined)[] = [];
  private used = 0;
  private readonly members = new Map<string, Member<V>>();

  constructor(size: number) {
    this.resize(size < 13 ? 13 : size);
  }

  private resize(size: number): void {
    size |= 1;
    this.buckets = new Array<Member<V> | undefined>(size).fill(undefined);
    this.used = 0;
  }

  private index(member: Member<V>): number {
    return hashIndex(member.hi, member.lo, this.buckets.length);
  }

  /** Postfix: htable_enter(); the new member goes to the head of its chain. */
  enter(key: string, value: V): void {
    if (this.used >= this.buckets.length) {
      const old = this.buckets;
      this.resize(2 * old.length);
      for (let member of old) {
        while (member !== undefined) {
          const next = member.next;
          this.link(member);
          member = next;
        }
      }
    }
    const [hi, lo] = hashFnv(key);
    const member: Member<V> = { key, value, hi, lo, next: undefined };
    // Like Postfix, a second member with the same key hides the first until it is deleted.
    if (!this.members.has(key)) this.members.set(key, member);
    this.link(member);
  }

  private link(member: Member<V>): void {
    const at = this.index(member);
    member.next = this.buckets[at];
    this.buckets[at] = member;
    this.used++;
  }

  /** The member that a lookup finds: the most recent one with the key. */
  private locate(key: string): Member<V> | undefined {
    const any = this.members.get(key);
    if (any === undefined) return undefined;
    let member = this.buckets[this.index(any)];
    while (member !== undefined && member.key !== key) member = member.next;
    return member;
  }

  /** Postfix: htable_locate() and an assignment to its value; false when absent. */
  replace(key: string, value: V): boolean {
    const member = this.locate(key);
    if (member === undefined) return false;
    member.value = value;
    return true;
  }

  find(key: string): V | undefined {
    return this.locate(key)?.value;
  }

  delete(key: string): void {
    const any = this.members.get(key);
    if (any === undefined) return;
    const at = this.index(any);
    let prev: Member<V> | undefined;
    let member = this.buckets[at];
    while (member !== undefined && member.key !== key) {
      prev = member;
      member = member.next;
    }
    if (member === undefined) return;
    if (prev === undefined) this.buckets[at] = member.next;
    else prev.next = member.next;
    this.used--;
    let other = member.next;
    while (other !== undefined && other.key !== key) other = other.next;
    if (other === undefined) this.members.delete(key);
    else this.members.set(key, other);
  }

  /** Postfix: htable_list(). */
  list(): [string, V][] {
    const all: [string, V][] = [];
    for (let member of this.buckets) {
      for (; member !== undefined; member = member.next) all.push([member.key, member.value]);
    }
    return all;
  }
}
