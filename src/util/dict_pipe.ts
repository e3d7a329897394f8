/*
 * dict_pipe - the "pipemap" table type: each member's result is the next member's key.
 * Counterpart: postfix/src/util/dict_pipe.c. The member tables are opened by
 * openComposite() in dict_union.ts.
 */
import { type Dict, DICT_ERR_NONE } from './dict.js';
import { DictComposite, openComposite } from './dict_union.js';

class DictPipe extends DictComposite {
  protected get lookupName(): string {
    return 'dict_pipe_lookup';
  }

  override async lookup(key: string): Promise<string | null> {
    let query = key;
    for (const name of this.members) {
      const map = this.member(name);
      const value = await map.lookup(query);
      if (value === null) {
        this.errno = map.errno;
        return this.result(map.error, null);
      }
      query = value;
    }
    return this.result(DICT_ERR_NONE, query);
  }
}

/** Postfix: dict_pipe_open(). */
export function dictPipeOpen(name: string, openFlags: number, dictFlags: number): Promise<Dict> {
  return openComposite('pipemap', name, openFlags, dictFlags, () => new DictPipe('pipemap', name));
}
