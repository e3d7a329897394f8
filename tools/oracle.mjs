#!/usr/bin/env node
// The reference oracle: Debian bookworm's Postfix 3.7.11, fetched with "apt-get download"
// and unpacked with "dpkg-deb -x" into a cache that is reused when present (never installed
// system-wide). The binaries' RUNPATH is rewritten with patchelf to the cache, because
// LD_LIBRARY_PATH is ignored by set-gid binaries and not passed on by master; so the cache
// must not move once made. Also writes what Debian's postinst would have written into
// meta_directory, and creates the postfix user and the postfix/postdrop groups that both
// implementations need. Needs root (apt-get download into the cache, useradd).
//
//   node tools/oracle.mjs          make sure the cache is ready; print its root
//   POSTFIX_REFERENCE_DIR=DIR      cache location (default: <repo>/.cache/reference)
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REFERENCE_VERSION = '3.7.11-0+deb12u1';
const PACKAGES = ['postfix', 'postfix-cdb', 'postfix-lmdb', 'postfix-pcre'];
const HELPERS = ['libcdb1', 'liblmdb0', 'patchelf']; // not installed here; the .so files need the first two

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = resolve(process.env.POSTFIX_REFERENCE_DIR ?? join(top, '.cache', 'reference'));
export const referenceRoot = join(cacheDir, 'root');

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function die(text) {
  process.stderr.write(`oracle: ${text}\n`);
  process.exit(1);
}

function aptDownload(dir, names) {
  const args = ['-q', '-o', 'APT::Sandbox::User=root', 'download', ...names];
  try {
    run('apt-get', args, { cwd: dir });
  } catch {
    // The package lists may be missing or stale on a fresh machine.
    run('apt-get', ['-q', 'update']);
    run('apt-get', args, { cwd: dir });
  }
}

function isElf(path) {
  try {
    const fd = readFileSync(path).subarray(0, 4);
    return fd.toString('latin1') === '\x7fELF';
  } catch {
    return false;
  }
}

function ensureUsers() {
  const has = (db, name) => {
    try { run('getent', [db, name]); return true; } catch { return false; }
  };
  if (!has('group', 'postfix')) run('groupadd', ['--system', 'postfix']);
  if (!has('group', 'postdrop')) run('groupadd', ['--system', 'postdrop']);
  if (!has('passwd', 'postfix')) {
    run('useradd', ['--system', '--gid', 'postfix', '--home-dir', '/nonexistent', '--no-create-home',
      '--shell', '/usr/sbin/nologin', 'postfix']);
  }
}

export function ensureReference() {
  const stamp = join(cacheDir, '.ready');
  if (process.getuid() === 0) ensureUsers();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === referenceRoot && existsSync(join(referenceRoot, 'usr/sbin/postconf'))) {
    return referenceRoot;
  }
  if (process.getuid() !== 0) die('fetching the reference Postfix needs root (apt-get download, patchelf, useradd)');
  const debs = join(cacheDir, 'debs');
  mkdirSync(debs, { recursive: true });
  const have = readdirSync(debs);
  if (!PACKAGES.every((p) => have.some((f) => f.startsWith(`${p}_${REFERENCE_VERSION.replace(':', '%3a')}`)))) {
    aptDownload(debs, PACKAGES.map((p) => `${p}=${REFERENCE_VERSION}`));
  }
  if (!HELPERS.every((p) => readdirSync(debs).some((f) => f.startsWith(`${p}_`)))) aptDownload(debs, HELPERS);

  const tmp = join(cacheDir, 'root.tmp');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) run('dpkg-deb', ['-x', join(debs, deb), tmp]);

  const multiarch = (() => { try { return run('dpkg-architecture', ['-qDEB_HOST_MULTIARCH']).trim(); } catch { return 'x86_64-linux-gnu'; } })();
  const rpath = `${join(referenceRoot, 'usr/lib/postfix')}:${join(referenceRoot, 'usr/lib', multiarch)}`;
  const patchelf = join(tmp, 'usr/bin/patchelf');
  for (const dir of ['usr/sbin', 'usr/lib/postfix/sbin', 'usr/lib/postfix']) {
    for (const name of readdirSync(join(tmp, dir))) {
      const path = join(tmp, dir, name);
      if (!statSync(path).isFile() || !isElf(path)) continue;
      run(patchelf, ['--set-rpath', rpath, path]);
    }
  }
  // What Debian's postinst writes into meta_directory (/etc/postfix on Debian).
  const meta = join(tmp, 'etc/postfix');
  const share = join(tmp, 'usr/share/postfix');
  const dynamicmaps = readFileSync(join(share, 'dynamicmaps.cf'), 'utf8').split('\n').filter((row) => {
    if (row === '' || row.startsWith('#')) return true;
    const type = row.split(/\s/)[0];
    return existsSync(join(tmp, `usr/lib/postfix/postfix-${type}.so`));
  });
  writeFileSync(join(meta, 'dynamicmaps.cf'), dynamicmaps.join('\n'));
  copyFileSync(join(share, 'main.cf.dist'), join(meta, 'main.cf.proto'));
  copyFileSync(join(share, 'master.cf.dist'), join(meta, 'master.cf.proto'));
  copyFileSync(join(share, 'makedefs.out'), join(meta, 'makedefs.out'));
  for (const f of ['dynamicmaps.cf', 'main.cf.proto', 'master.cf.proto', 'makedefs.out']) chmodSync(join(meta, f), 0o644);

  rmSync(referenceRoot, { recursive: true, force: true });
  renameSync(tmp, referenceRoot);
  const missing = [];
  for (const dir of ['usr/sbin', 'usr/lib/postfix/sbin', 'usr/lib/postfix']) {
    for (const name of readdirSync(join(referenceRoot, dir))) {
      const path = join(referenceRoot, dir, name);
      if (!statSync(path).isFile() || !isElf(path)) continue;
      for (const line of run('ldd', [path]).split('\n')) if (line.includes('not found')) missing.push(`${path}: ${line.trim()}`);
    }
  }
  if (missing.length > 0) die(`unresolved libraries:\n${missing.join('\n')}`);
  writeFileSync(stamp, referenceRoot);
  process.stderr.write(`oracle: Postfix ${REFERENCE_VERSION} unpacked into ${referenceRoot}\n`);
  return referenceRoot;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  console.log(ensureReference());
}
