#!/usr/bin/env node
// Builds the executables: compiles src/launcher/launcher.c once and installs a copy of it
// under the name of every command and daemon that postfix-files lists, in dist/bin
// (command_directory, sendmail_path, mailq_path, newaliases_path) and dist/libexec
// (daemon_directory). Each copy runs dist/src/<program>/<program>.js under this Node.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(top, 'dist');
const dirs = {
  command_directory: join(dist, 'bin'),
  daemon_directory: join(dist, 'libexec'),
};
const paths = {
  sendmail_path: join(dist, 'bin', 'sendmail'),
  mailq_path: join(dist, 'bin', 'mailq'),
  newaliases_path: join(dist, 'bin', 'newaliases'),
};

function resolvePath(spec) {
  const m = /^\$(\w+)(\/.*)?$/.exec(spec);
  if (!m) return undefined;
  if (paths[m[1]] && !m[2]) return paths[m[1]];
  if (dirs[m[1]]) return dirs[m[1]] + (m[2] ?? '');
  return undefined;
}

const launcher = join(dist, 'launcher');
mkdirSync(dist, { recursive: true });
const cc = process.env.CC || 'cc';
execFileSync(cc, ['-O2', '-Wall', '-Werror', `-DNODE_BIN="${process.execPath}"`, '-o', launcher,
  join(top, 'src', 'launcher', 'launcher.c')], { stdio: 'inherit' });

for (const d of Object.values(dirs)) {
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
}
const links = [];
let made = 0;
for (const line of readFileSync(join(top, 'postfix-files'), 'latin1').split('\n')) {
  if (line === '' || line.startsWith('#')) continue;
  const [spec, type, target, , , flags = ''] = line.split(':');
  const path = resolvePath(spec);
  if (path === undefined || flags.includes('o')) continue; // o: obsolete, not installed
  if (type === 'f') {
    copyFileSync(launcher, path);
    chmodSync(path, 0o755); // set-gid bits are for "postfix set-permissions" as root
    made++;
  } else if (type === 'h' || type === 'l') {
    links.push([type, path, resolvePath(target)]);
  }
}
for (const [type, path, target] of links) {
  if (target === undefined || !existsSync(target)) throw new Error(`postfix-files: no target for ${path}`);
  if (type === 'h') linkSync(target, path);
  else symlinkSync(target, path);
  made++;
}
console.log(`build-launchers: ${made} executables in dist/bin and dist/libexec`);
