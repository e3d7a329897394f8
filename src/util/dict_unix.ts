/*
 * dict_unix - the "unix" table type: unix:passwd.byname and unix:group.byname, the
 * system's user and group databases through the C library (NSS), one line per entry in
 * the passwd(5) and group(5) formats.
 * Counterpart: postfix/src/util/dict_unix.c. A first miss checks that the database
 * answers at all (for uid or gid 0); if not, the table is reported as unavailable.
 */
import { msg } from './msg.js';
import { errnoOf, percentM } from './strerror.js';
import { getgrgid, getgrnam, getpwnam, getpwuid } from './mypwd.js';
import { Dict, DICT_ERR_RETRY, DICT_FLAG_FIXED, DICT_OWNER_TRUSTED, O_RDONLY, dictDebug, dictSurrogate } from './dict.js';

/** A lookup that may fail: the entry, null when absent, or the error. */
function attempt<T>(call: () => T | null): T | null | { error: unknown } {
  try {
    return call();
  } catch (err) {
    return { error: err };
  }
}

const failed = (r: unknown): r is { error: unknown } => r !== null && typeof r === 'object' && 'error' in r;

/* Whether a database has answered once; Postfix keeps this per process and database. */
const sanityChecked = { passwd: false, group: false };

class DictUnix extends Dict {
  constructor(name: string, private readonly database: 'passwd' | 'group') {
    super('unix', name);
  }

  /** The first miss: can the database be read at all? */
  private checkDatabase(): void {
    if (sanityChecked[this.database]) return;
    sanityChecked[this.database] = true;
    const root = attempt(() => (this.database === 'passwd' ? getpwuid(0) : getgrgid(0)));
    if (root === null || failed(root)) {
      msg.warn(`cannot access UNIX ${this.database === 'passwd' ? 'password' : 'group'} database: ${percentM(failed(root) ? errnoOf(root.error) ?? 0 : 0)}`);
      this.error = DICT_ERR_RETRY;
    }
  }

  override async lookup(key: string): Promise<string | null> {
    this.error = 0;
    const name = this.foldFix(key);
    if (this.database === 'passwd') {
      const pwd = attempt(() => getpwnam(name));
      if (pwd === null || failed(pwd)) {
        this.checkDatabase();
        return null;
      }
      sanityChecked.passwd = true;
      return `${pwd.pw_name}:${pwd.pw_passwd}:${pwd.pw_uid}:${pwd.pw_gid}:${pwd.pw_gecos}:${pwd.pw_dir}:${pwd.pw_shell}`;
    }
    const grp = attempt(() => getgrnam(name));
    if (grp === null || failed(grp)) {
      this.checkDatabase();
      return null;
    }
    sanityChecked.group = true;
    return `${grp.gr_name}:${grp.gr_passwd}:${grp.gr_gid}:${grp.gr_mem.join(',')}`;
  }
}

const DATABASES: Record<string, 'passwd' | 'group'> = { 'passwd.byname': 'passwd', 'group.byname': 'group' };

/** Postfix: dict_unix_open(). */
export async function dictUnixOpen(map: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (openFlags !== O_RDONLY) return dictSurrogate('unix', map, openFlags, dictFlags, `unix:${map} map requires O_RDONLY access mode`);
  const database = DATABASES[map];
  if (database === undefined) return dictSurrogate('unix', map, openFlags, dictFlags, `unknown table: unix:${map}`);
  const dict = new DictUnix(map, database);
  dict.flags = dictFlags | DICT_FLAG_FIXED;
  dict.owner = { status: DICT_OWNER_TRUSTED, uid: dict.owner.uid };
  return dictDebug(dict);
}
