/*
 * _indexed - comparing indexed table files made by our postmap/postalias and the
 * reference's. cdb and lmdb files must be identical. Two things make Berkeley DB files
 * differ between any two builds, the reference's included: the unique file id in the meta
 * pages, which we mask, and the bytes of pages' free space, which Berkeley DB copies from
 * memory that it never initialized. Builds whose bytes we compare therefore run with glibc
 * filling new allocations with zero bytes (malloc perturb) on both sides, and what still
 * varies between reference builds is sampled and left out.
 */
import type { ExecutionContext } from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReference } from '../helpers/diff.js';
import type { Twins } from './_tables.js';

/** The 20-byte file id of a Berkeley DB file, zeroed wherever a meta page carries it. */
export function withoutFileId(file: Buffer): Buffer {
  const copy = Buffer.from(file);
  const pageSize = copy.readUInt32LE(20);
  const id = Buffer.from(copy.subarray(52, 72));
  for (let page = 0; page + 72 <= copy.length; page += pageSize) {
    if (copy.subarray(page + 52, page + 72).equals(id)) copy.fill(0, page + 52, page + 72);
  }
  return copy;
}

/** glibc's malloc perturb with 255: every allocation starts out zero-filled. */
export const ZEROED = { env: { GLIBC_TUNABLES: 'glibc.malloc.perturb=255' } };

export const INDEXED = ['hash', 'btree', 'cdb', 'lmdb'] as const;
export type Indexed = typeof INDEXED[number];
export const suffix = (type: Indexed) => ({ hash: '.db', btree: '.db', cdb: '.cdb', lmdb: '.lmdb' })[type];
export const isBerkeleyDb = (type: Indexed) => type === 'hash' || type === 'btree';

export function sameContent(t: ExecutionContext, twins: Twins, type: Indexed, name: string, variable = new Set<number>(),
  mask: (file: Buffer) => Buffer = (file) => file): void {
  const ourPath = join(twins.ours.dir, name + suffix(type));
  const refPath = join(twins.ref.dir, name + suffix(type));
  t.is(existsSync(ourPath), existsSync(refPath), `${type}:${name}: made by one side only`);
  if (!existsSync(refPath) || !existsSync(ourPath)) return;
  const ours = mask(readFileSync(ourPath));
  const ref = mask(readFileSync(refPath));
  if (!isBerkeleyDb(type)) {
    t.true(ours.equals(ref), `${type}:${name}: file content differs from the reference's`);
    return;
  }
  ours.set(withoutFileId(ours));
  ref.set(withoutFileId(ref));
  t.is(ours.length, ref.length, `${type}:${name}: file size differs from the reference's`);
  const differ = [...ours.keys()].filter((i) => ours[i] !== ref[i] && !variable.has(i));
  // A stray byte or two of Berkeley DB's chance can escape a sample of reference builds;
  // a real difference (order, flags, null bytes, cache size) changes hundreds.
  t.true(differ.length <= STRAY_BYTES, `${type}:${name}: file content differs from the reference's at ${differ.slice(0, 20).join(' ')}`);
}

const STRAY_BYTES = 6;

/**
 * Byte offsets where the reference's own builds disagree: two more reference builds with
 * the same arguments, compared with the first (which is put back afterwards). Berkeley DB
 * leaves a few bytes of a large hash file to chance.
 */
export async function referenceVariance(twins: Twins, command: string, type: Indexed, name: string, args: string[],
  mask: (file: Buffer) => Buffer = (file) => file): Promise<Set<number>> {
  const path = join(twins.ref.dir, name + suffix(type));
  const first = readFileSync(path);
  const variable = new Set<number>();
  for (let run = 0; run < 2; run++) {
    await runReference(command, ['-c', twins.ref.dir, ...args], { cwd: twins.ref.dir, ...ZEROED });
    const again = withoutFileId(mask(readFileSync(path)));
    const base = withoutFileId(mask(first));
    for (let i = 0; i < base.length; i++) if (base[i] !== again[i]) variable.add(i);
  }
  writeFileSync(path, first);
  return variable;
}

