/*
 * dict_union and dict_pipe share this module's helper for opening the member tables of
 * "unionmap:{type:name, ...}" and "pipemap:{type:name, ...}". Counterpart: the open
 * functions of postfix/src/util/dict_union.c and dict_pipe.c. Members are registered
 * handles, shared with other users of the same "type:name".
 */
import { msg } from './msg.js';
import { CHARS_BRACE, CHARS_COMMA_SP, balpar, splitQuoted } from './stringops.js';
import {
  Dict, DICT_ERR_NONE, DICT_FLAG_FIXED, DICT_FLAG_PATTERN, DICT_OWNER_TRUSTED, O_RDONLY, type DictOwner,
  dictDebug, dictHandle, dictOwnerAggregate, dictRegister, dictSurrogate, dictUnregister,
} from './dict.js';
import { dictOpen } from './dict_open.js';

/** A table made of other tables, looked up by their registered names. */
export abstract class DictComposite extends Dict {
  members: string[] = [];

  protected member(name: string): Dict {
    return dictHandle(name) ?? msg.panic(`${this.lookupName}: dictionary "${name}" not found`);
  }

  protected abstract get lookupName(): string;

  override async close(): Promise<void> {
    for (const name of this.members) await dictUnregister(name);
  }
}

/** Open the members, then the composite; or a surrogate that explains the syntax. */
export async function openComposite(type: string, name: string, openFlags: number, dictFlags: number,
  make: () => DictComposite): Promise<Dict> {
  const syntax = () => dictSurrogate(type, name, openFlags, dictFlags, `bad syntax: "${type}:${name}"; need "${type}:{type:name...}"`);
  if (openFlags !== O_RDONLY) {
    return dictSurrogate(type, name, openFlags, dictFlags, `${type}:${name} map requires O_RDONLY access mode`);
  }
  const len = balpar(name, CHARS_BRACE);
  if (len === 0 || len !== name.length || len === 2) return syntax();
  const members = splitQuoted(name.slice(1, -1), CHARS_COMMA_SP, CHARS_BRACE);
  if (members.length === 0) return syntax();
  // The least trusted member decides the trust; the first decides fixed versus pattern.
  let owner: DictOwner = { status: DICT_OWNER_TRUSTED, uid: 0 };
  let matchFlags = 0;
  for (const [i, member] of members.entries()) {
    if (msg.verbose) msg.info(`dict_${type === 'unionmap' ? 'union' : 'pipe'}_open: ${member}`);
    if (!member.includes(':')) return syntax();
    const dict = dictHandle(member) ?? await dictOpen(member, openFlags, dictFlags);
    dictRegister(member, dict);
    owner = dictOwnerAggregate(owner, dict.owner);
    if (i === 0) matchFlags = dict.flags & (DICT_FLAG_FIXED | DICT_FLAG_PATTERN);
  }
  const dict = make();
  dict.flags = dictFlags | matchFlags;
  dict.owner = owner;
  dict.members = members;
  return dictDebug(dict);
}

/* unionmap: the values of every member that has the key, joined with commas. */
class DictUnion extends DictComposite {
  protected get lookupName(): string {
    return 'dict_union_lookup';
  }

  override async lookup(key: string): Promise<string | null> {
    let joined = '';
    for (const name of this.members) {
      const map = this.member(name);
      const value = await map.lookup(key);
      if (value !== null) {
        // A comma only after non-empty text: empty values vanish, as in Postfix.
        joined += joined.length > 0 ? `,${value}` : value;
      } else if (map.error !== 0) {
        this.errno = map.errno;
        return this.result(map.error, null);
      }
    }
    return this.result(DICT_ERR_NONE, joined.length > 0 ? joined : null);
  }
}

/** Postfix: dict_union_open(). */
export function dictUnionOpen(name: string, openFlags: number, dictFlags: number): Promise<Dict> {
  return openComposite('unionmap', name, openFlags, dictFlags, () => new DictUnion('unionmap', name));
}
