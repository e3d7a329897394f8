#!/usr/bin/env node
/*
 * gen-mail-params - regenerate the table in src/global/mail_params.ts: the list of every main.cf
 * parameter Postfix 3.7.11 knows, from two sources of facts:
 *   - the Postfix source tree (POSTFIX_SRC, default /tmp/pfsrc/postfix): which tables
 *     (int, time, bool, ...) name each parameter and with which bounds, found the way
 *     postconf's own build finds them (CONFIG_*_TABLE entries in src/<any>/<any>.c);
 *   - the reference postconf (REFERENCE_DIR, default /tmp/oracle-test): the raw default
 *     of each parameter exactly as "postconf -d" prints it on an empty configuration.
 * Usage: node tools/gen-mail-params.mjs (rewrites the table part of src/global/mail_params.ts)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SRC = process.env.POSTFIX_SRC ?? '/tmp/pfsrc/postfix';
const REF = process.env.REFERENCE_DIR ?? '/tmp/oracle-test';

// Every #define of a string or number, for resolving VAR_xxx names and numeric bounds.
const macros = new Map();
const sources = [];
for (const dir of readdirSync(join(SRC, 'src'))) {
  let files;
  try { files = readdirSync(join(SRC, 'src', dir)); } catch { continue; }
  for (const f of files) {
    if (!/\.[ch]$/.test(f)) continue;
    const text = readFileSync(join(SRC, 'src', dir, f), 'latin1');
    if (f.endsWith('.c')) sources.push({ path: `${dir}/${f}`, text });
    for (const m of text.matchAll(/^#define[ \t]+(\w+)[ \t]+([^\n]*?)[ \t]*(?:\/\*.*)?$/gm)) {
      if (!macros.has(m[1])) macros.set(m[1], m[2]);
    }
  }
}

function resolveString(expr, depth = 0) {
  if (depth > 20) return undefined;
  let out = '';
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(\w+))/y;
  let m;
  let pos = 0;
  expr = expr.trim();
  while (pos < expr.length && (re.lastIndex = pos, m = re.exec(expr))) {
    pos = re.lastIndex;
    if (m[1] !== undefined) out += m[1].replace(/\\(.)/g, '$1');
    else {
      const def = macros.get(m[2]);
      if (def === undefined) return undefined;
      const sub = resolveString(def, depth + 1);
      if (sub === undefined) return undefined;
      out += sub;
    }
  }
  return pos >= expr.length ? out : undefined;
}

function resolveNumber(expr, depth = 0) {
  expr = expr.trim();
  if (depth > 20) return undefined;
  const replaced = expr.replace(/\b[A-Za-z_]\w*\b/g, (id) => {
    if (id === 'INT_MAX') return '2147483647';
    if (id === 'LONG_MAX') return '9223372036854775807';
    const def = macros.get(id);
    const v = def === undefined ? undefined : resolveNumber(def, depth + 1);
    return v === undefined ? 'NaN' : `(${v})`;
  }).replace(/\b(\d+)[lLuU]+\b/g, '$1');
  if (!/^[\d\s()+\-*/<>NaN]*$/.test(replaced)) return undefined;
  const v = Function(`return (${replaced});`)();
  return Number.isFinite(v) ? v : undefined;
}

// Table kinds, in the order postconf registers them (later kinds do not replace earlier).
const KINDS = ['TIME', 'BOOL', 'INT', 'STR', 'STR_FN', 'RAW', 'NINT', 'NBOOL', 'LONG'];
const found = new Map(); // name -> { kind, min, max, where }
for (const kind of KINDS) {
  const start = new RegExp(`^(?:static| )*(?:const +)?CONFIG_${kind}_TABLE .*\\{`);
  for (const { path, text } of sources) {
    if (path.startsWith('postconf/')) continue;
    let inside = false;
    for (const line of text.split('\n')) {
      if (!inside) { if (start.test(line)) inside = true; else continue; }
      if (/\};/.test(line)) { inside = false; continue; }
      const fields = line.trim().split(/\s*,\s*/);
      if (!/^VAR/.test(fields[0] ?? '')) continue;
      const name = resolveString(fields[0]);
      if (name === undefined) { console.error(`cannot resolve ${fields[0]} in ${path}`); continue; }
      if (found.has(name)) continue;
      const entry = { kind, where: path };
      if (kind === 'STR' || kind === 'STR_FN' || kind === 'RAW' || kind === 'INT' || kind === 'TIME' || kind === 'LONG') {
        entry.min = resolveNumber(fields[3] ?? '0') ?? 0;
        entry.max = resolveNumber(fields[4] ?? '0') ?? 0;
      }
      if (kind === 'TIME') {
        const def = resolveString(fields[1]);
        entry.unit = def?.match(/([smhdw])$/)?.[1] ?? 's';
      }
      found.set(name, entry);
    }
  }
}

// Set outside the scanned tables: postconf adds these two by hand (install_table.h).
for (const name of ['config_directory', 'debugger_command']) {
  if (!found.has(name)) found.set(name, { kind: 'STR', min: 1, max: 0, where: 'postconf/install_table.h' });
}

// Raw defaults as the reference prints them.
const scratch = mkdtempSync(join(tmpdir(), 'gen-params-'));
writeFileSync(join(scratch, 'main.cf'), '');
writeFileSync(join(scratch, 'master.cf'), '');
const out = execFileSync(join(REF, 'root/usr/sbin/postconf'), ['-d', '-c', scratch], { encoding: 'latin1' });
rmSync(scratch, { recursive: true });
const defaults = new Map();
for (const line of out.split('\n')) {
  const eq = line.indexOf(' = ');
  if (eq > 0) defaults.set(line.slice(0, eq), line.slice(eq + 3));
  else if (line.endsWith(' =')) defaults.set(line.slice(0, -2), '');
}

const LEGACY = ['virtual_maps', 'fallback_relay', 'authorized_verp_clients',
  'smtpd_client_connection_limit_exceptions', 'postscreen_dnsbl_ttl', 'postscreen_blacklist_action',
  'postscreen_dnsbl_whitelist_threshold', 'postscreen_whitelist_interfaces', 'lmtp_per_record_deadline',
  'smtp_per_record_deadline', 'smtpd_per_record_deadline', 'tlsproxy_client_level', 'tlsproxy_client_policy'];
const ADHOC = ['process_name', 'service_name', 'process_id'];
const COMPUTED = { myhostname: 'defaultMyhostname', mydomain: 'defaultMydomain', mynetworks: 'defaultMynetworks' };

const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const lines = [];
for (const [name, def] of [...defaults].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
  if (LEGACY.includes(name) || ADHOC.includes(name)) continue;
  const e = found.get(name);
  if (e === undefined) { console.error(`no table entry for ${name}`); continue; }
  const key = /^[A-Za-z_]\w*$/.test(name) ? name : q(name);
  const b = (e.min || e.max) ? `, { min: ${e.min}, max: ${e.max} }` : '';
  switch (e.kind) {
    case 'TIME': lines.push(`  ${key}: time(${q(def)}${b}),`); break;
    case 'BOOL': lines.push(`  ${key}: bool(${def === 'yes'}),`); break;
    case 'INT': lines.push(`  ${key}: int(${def}${b}),`); break;
    case 'LONG': lines.push(`  ${key}: long(${def}${b}),`); break;
    case 'STR': lines.push(`  ${key}: str(${q(def)}${b}),`); break;
    case 'RAW': lines.push(`  ${key}: raw(${q(def)}${b}),`); break;
    case 'NINT': lines.push(`  ${key}: nint(${q(def)}),`); break;
    case 'NBOOL': lines.push(`  ${key}: nbool(${q(def)}),`); break;
    case 'STR_FN': lines.push(`  ${key}: computed(${COMPUTED[name]}${b}),`); break;
  }
}
for (const name of found.keys()) if (!defaults.has(name)) console.error(`not in postconf -d: ${name}`);

// Splice the table into mail_params.ts between its GENERATED markers.
const target = new URL('../src/global/mail_params.ts', import.meta.url);
const text = readFileSync(target, 'latin1');
const begin = text.indexOf('  // BEGIN GENERATED');
const end = text.indexOf('  // END GENERATED');
if (begin < 0 || end < 0) throw new Error('mail_params.ts: GENERATED markers not found');
const head = text.slice(0, text.indexOf('\n', begin) + 1);
writeFileSync(target, head + lines.join('\n') + '\n' + text.slice(end), 'latin1');
console.error(`${lines.length} parameters written`);
