#!/usr/bin/env node
/*
 * gen-dbms-suffixes - print the parameter suffixes postconf accepts for legacy LDAP, SQL
 * and memcache client files (<name>_server_host ...), from the cfg_get_* calls in the
 * Postfix source, as postconf's extract_cfg.sh does. Paste the output into
 * src/postconf/postconf_dbms.ts. Usage: node tools/gen-dbms-suffixes.mjs
 */
import { readFileSync } from 'node:fs';
const SRC = process.env.POSTFIX_SRC ?? '/tmp/pfsrc/postfix';
const tables = { ldap: ['domain'], memcache: ['domain'], mysql: ['domain', 'table', 'select_field', 'where_field', 'additional_conditions'],
  pgsql: ['domain', 'table', 'select_field', 'where_field', 'additional_conditions'],
  sqlite: ['domain', 'table', 'select_field', 'where_field', 'additional_conditions'] };
for (const [type, extra] of Object.entries(tables)) {
  const text = readFileSync(`${SRC}/src/global/dict_${type}.c`, 'latin1');
  const defs = new Map([...text.matchAll(/^#define[ \t]+(\w+)[ \t]+"([^"]*)"/gm)].map((m) => [m[1], m[2]]));
  const names = new Set(extra);
  for (const m of text.matchAll(/cfg_get_(?:str|int|bool)\s*\([^,]*,\s*("([^"]*)"|(\w+))/g)) {
    names.add(m[2] ?? defs.get(m[3]) ?? m[3]);
  }
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  console.log(`  ${type}: [${sorted.map((n) => `'${n}'`).join(', ')}],`);
}
