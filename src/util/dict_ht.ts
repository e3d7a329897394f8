/*
 * dict_ht - the "internal" table type: an in-memory hash table.
 * Counterpart: postfix/src/util/dict_ht.c. Also the store behind inline: and texthash:.
 * Listing order is Postfix's htable order (see htable.ts), so that "postmap -s" on an
 * inline or texthash table prints entries in the reference's order (with NORANDOMIZE).
 */
import { HTable } from './htable.js';
import {
  Dict, DICT_ERR_NONE, DICT_FLAG_FIXED, DICT_OWNER_TRUSTED, DICT_SEQ_FUN_FIRST, DICT_STAT_FAIL, DICT_STAT_SUCCESS, type DictEntry,
} from './dict.js';

export class DictHt extends Dict {
  private table = new HTable<string>(0);
  private seq: [string, string][] | undefined;
  private seqAt = 0;

  override async lookup(key: string): Promise<string | null> {
    return this.result(DICT_ERR_NONE, this.table.find(this.foldFix(key)) ?? null);
  }

  override async update(key: string, value: string): Promise<number> {
    const folded = this.foldFix(key);
    if (!this.table.replace(folded, value)) this.table.enter(folded, value);
    return this.result(DICT_ERR_NONE, DICT_STAT_SUCCESS);
  }

  override async delete(key: string): Promise<number> {
    const folded = this.foldFix(key);
    if (this.table.find(folded) === undefined) return this.result(DICT_ERR_NONE, DICT_STAT_FAIL);
    this.table.delete(folded);
    return this.result(DICT_ERR_NONE, DICT_STAT_SUCCESS);
  }

  override async sequence(func: number): Promise<DictEntry | null> {
    if (func === DICT_SEQ_FUN_FIRST) {
      this.seq = this.table.list();
      this.seqAt = 0;
    }
    const member = this.seq?.[this.seqAt++];
    if (member === undefined) {
      this.seq = undefined;
      return this.result(DICT_ERR_NONE, null);
    }
    return this.result(DICT_ERR_NONE, { key: member[0], value: member[1] });
  }
}

/** Postfix: dict_ht_open(). */
export async function dictHtOpen(name: string, _openFlags: number, dictFlags: number): Promise<Dict> {
  return openHt(name, dictFlags);
}

/** The synchronous part of dictHtOpen(), for the types that build on it. */
export function openHt(name: string, dictFlags: number): DictHt {
  const dict = new DictHt('internal', name);
  dict.flags = dictFlags | DICT_FLAG_FIXED;
  dict.owner = { status: DICT_OWNER_TRUSTED, uid: dict.owner.uid };
  return dict;
}
