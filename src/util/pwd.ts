/*
 * pwd - look up a user or group by name, as getpwnam()/getgrnam() would.
 * No Postfix counterpart (libc). XXX Reads /etc/passwd and /etc/group only; NSS sources
 * (LDAP, sssd) are not consulted.
 */
import { readFileSync } from 'node:fs';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  dir: string;
}

function fields(file: string, name: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === name) return f;
  }
  return undefined;
}

/** getpwnam(). */
export function getpwnam(name: string): PasswdEntry | undefined {
  const f = fields('/etc/passwd', name);
  if (f === undefined || f.length < 7) return undefined;
  return { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), gecos: f[4]!, dir: f[5]! };
}

/** getgrnam(): the group ID. */
export function getgrnam(name: string): number | undefined {
  const f = fields('/etc/group', name);
  return f === undefined || f.length < 3 ? undefined : Number(f[2]);
}
