/*
 * find_inet - the TCP port of a service name, looked up in /etc/services as glibc's
 * getservbyname(name, "tcp") does, for the listeners and connectors that take names.
 * Counterpart: the service half of postfix/src/util/find_inet.c (find_inet_port()); unlike
 * it, an unknown name gives undefined rather than a fatal error: the callers report it.
 */
import { readFileSync } from 'node:fs';

/** The port of a service name (not a number: callers treat digits themselves), or undefined. */
export function findInetPort(service: string): number | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/services', 'latin1');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    // Fields are separated by what C's isspace() calls white space.
    const words = line.replace(/#.*/, '').split(/[ \t\v\f\r]+/).filter((w) => w !== '');
    const m = /^(\d+)\/tcp$/.exec(words[1] ?? '');
    if (m && (words[0] === service || words.slice(2).includes(service))) return Number(m[1]);
  }
  return undefined;
}
