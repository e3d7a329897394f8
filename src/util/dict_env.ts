/*
 * dict_env - the "environ" table type: the process environment.
 * Counterpart: postfix/src/util/dict_env.c. Lookups see nothing in a set-id process.
 * XXX Node decodes the environment as UTF-8, so non-ASCII values are not byte strings.
 */
import { safeGetenv } from './safe.js';
import { Dict, DICT_FLAG_FIXED, DICT_OWNER_TRUSTED, DICT_STAT_SUCCESS, dictDebug } from './dict.js';

class DictEnv extends Dict {
  override async lookup(key: string): Promise<string | null> {
    this.error = 0;
    return safeGetenv(this.foldFix(key)) ?? null;
  }

  override async update(key: string, value: string): Promise<number> {
    this.error = 0;
    process.env[this.foldFix(key)] = value;
    return DICT_STAT_SUCCESS;
  }
}

/** Postfix: dict_env_open(). */
export async function dictEnvOpen(name: string, _openFlags: number, dictFlags: number): Promise<Dict> {
  const dict = new DictEnv('environ', name);
  dict.flags = dictFlags | DICT_FLAG_FIXED;
  dict.owner = { status: DICT_OWNER_TRUSTED, uid: dict.owner.uid };
  return dictDebug(dict);
}
