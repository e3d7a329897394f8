/*
 * dict_fail - the "fail" table type: every request fails as if the table were down.
 * Counterpart: postfix/src/util/dict_fail.c. The error is DICT_ERR_RETRY with errno 0,
 * which is why "postmap -q" on it reports "query error: Success".
 */
import { Dict, DICT_ERR_RETRY, DICT_FLAG_PATTERN, DICT_OWNER_TRUSTED, DICT_STAT_ERROR, O_ACCMODE, O_RDWR, dictDebug, type DictEntry } from './dict.js';

class DictFail extends Dict {
  constructor(name: string, readWrite: boolean) {
    super('fail', name);
    if (readWrite) {
      this.update = async () => this.fail(DICT_STAT_ERROR);
      this.delete = async () => this.fail(DICT_STAT_ERROR);
    }
  }

  private fail<T>(value: T): T {
    this.errno = 0;
    return this.result(DICT_ERR_RETRY, value);
  }

  override async lookup(): Promise<string | null> {
    return this.fail(null);
  }

  override async sequence(): Promise<DictEntry | null> {
    return this.fail(null);
  }
}

/** Postfix: dict_fail_open(). */
export async function dictFailOpen(name: string, openFlags: number, dictFlags: number): Promise<Dict> {
  const dict = new DictFail(name, (openFlags & O_ACCMODE) === O_RDWR);
  dict.flags = dictFlags | DICT_FLAG_PATTERN;
  dict.owner = { status: DICT_OWNER_TRUSTED, uid: dict.owner.uid };
  return dictDebug(dict);
}
