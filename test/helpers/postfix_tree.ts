/*
 * postfix_tree - a complete installation in one directory, for differential tests of
 * postfix(1), postfix-script and post-install: etc/ (config and meta directory, with our
 * postfix-files), bin/ (command_directory), libexec/ (daemon_directory), lib/
 * (shlib_directory), spool/, data/ and the maillog. The "reference" flavor has the Debian
 * 3.7.11 programs and scripts; "ours" has copies of our launcher (with src/ pointing at the
 * build). Both are built at the same path, one after the other, so that outputs compare
 * byte for byte. Which master and daemons run in "ours": our master(8) and daemons, or
 * with POSTFIX_TEST_MASTER=reference the reference ones (to tell a postfix-script bug from
 * a master bug).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, REF_COMMAND_DIR, REF_DAEMON_DIR, REFERENCE_ROOT, TOP } from './paths.js';
import { runProgram, shellQuote, type RunOptions, type RunResult } from './diff.js';

export type Flavor = 'reference' | 'ours';

/** Whose master and daemons an "ours" tree runs. */
export const OUR_MASTER = process.env.POSTFIX_TEST_MASTER !== 'reference';

export interface TreeOptions {
  /** Extra main.cf lines. */
  mainCf?: string[];
  /** master.cf text; default: only the postlog service. */
  masterCf?: string;
  /**
   * The default instance: config_directory /etc/postfix, which is upper/postfix of an
   * overlay on /etc in a private mount namespace (see runDefault); meta_directory meta/.
   */
  defaultInstance?: boolean;
  /** The reference's dynamicmaps.cf in meta_directory, and its plug-ins in shlib_directory. */
  dynamicMaps?: boolean;
}

export interface Tree {
  top: string;
  flavor: Flavor;
  /** Where main.cf is, as seen by the tree's programs. */
  config: string;
  /** Where main.cf is, as seen from here. */
  configPath: string;
  meta: string;
  defaultInstance: boolean;
  bin: string;
  libexec: string;
  spool: string;
  data: string;
  maillog: string;
}

const DAEMON_SCRIPTS = ['postfix-script', 'post-install', 'postfix-tls-script', 'postmulti-script'];

/** The files postfix-files names in a directory ("$daemon_directory/..."), not obsolete ones. */
function listed(dirParam: string): string[] {
  const names: string[] = [];
  for (const line of readFileSync(join(TOP, 'postfix-files'), 'latin1').split('\n')) {
    const [path, type, , , , flags = ''] = line.split(':');
    if (!path?.startsWith(`$${dirParam}/`) || flags.includes('o')) continue;
    if (type === 'f' || type === 'h') names.push(path.slice(dirParam.length + 2));
  }
  return names;
}

const POSTFIX = { uid: Number(spawnSync('id', ['-u', 'postfix'], { encoding: 'latin1' }).stdout) };

/** Build the tree at top (which must be empty or absent). */
export function buildTree(top: string, flavor: Flavor, opts: TreeOptions = {}): Tree {
  const def = opts.defaultInstance === true;
  const tree: Tree = {
    top, flavor, defaultInstance: def,
    config: def ? '/etc/postfix' : join(top, 'etc'), configPath: def ? join(top, 'upper', 'postfix') : join(top, 'etc'),
    meta: def ? join(top, 'meta') : join(top, 'etc'),
    bin: join(top, 'bin'), libexec: join(top, 'libexec'),
    spool: def ? join(top, 'spool', 'postfix') : join(top, 'spool'),
    data: def ? join(top, 'data', 'postfix') : join(top, 'data'),
    maillog: join(top, 'maillog'),
  };
  rmSync(top, { recursive: true, force: true });
  for (const d of [top, tree.configPath, tree.meta, tree.bin, tree.libexec, tree.spool, tree.data, join(top, 'lib')]) {
    mkdirSync(d, { recursive: true });
  }
  if (def) {
    mkdirSync(join(top, 'work'));
    // What postmulti -e create copies; a master.cf with only the postlog service.
    copyFileSync(join(REFERENCE_ROOT, 'etc/postfix/main.cf.proto'), join(tree.meta, 'main.cf.proto'));
    writeFileSync(join(tree.meta, 'master.cf.proto'), 'postlog   unix-dgram n  -       n       -       1       postlogd\n');
  }
  chmodSync(top, 0o755);
  chownSync(tree.data, POSTFIX.uid, -1);

  const launcher = join(DIST, 'launcher');
  if (flavor === 'ours') symlinkSync(join(DIST, 'src'), join(top, 'src'));
  const install = (from: string, to: string, mode = 0o755) => {
    copyFileSync(from, to);
    chmodSync(to, mode);
  };
  for (const name of listed('command_directory')) {
    const ref = join(REF_COMMAND_DIR, name);
    install(flavor === 'ours' ? launcher : existsSync(ref) ? ref : launcher, join(tree.bin, name));
  }
  for (const name of ['sendmail']) {
    install(flavor === 'ours' ? launcher : join(REF_COMMAND_DIR, name), join(tree.bin, name));
  }
  // Set-gid as in the Debian package, as "postfix set-permissions" leaves them.
  for (const name of ['postdrop', 'postqueue', 'postlog']) {
    spawnSync('chgrp', ['postdrop', join(tree.bin, name)]);
    chmodSync(join(tree.bin, name), 0o2755);
  }
  for (const name of listed('daemon_directory')) {
    const script = DAEMON_SCRIPTS.includes(name);
    const useOurs = flavor === 'ours' && (script || OUR_MASTER);
    const ref = join(REF_DAEMON_DIR, name);
    install(useOurs ? launcher : existsSync(ref) ? ref : launcher, join(tree.libexec, name));
  }
  writeFileSync(join(tree.meta, 'postfix-files'), readFileSync(join(TOP, 'postfix-files')));
  if (opts.dynamicMaps) {
    copyFileSync(join(REFERENCE_ROOT, 'etc/postfix/dynamicmaps.cf'), join(tree.meta, 'dynamicmaps.cf'));
    for (const so of ['postfix-cdb.so', 'postfix-lmdb.so', 'postfix-pcre.so']) {
      copyFileSync(join(REFERENCE_ROOT, 'usr/lib/postfix', so), join(top, 'lib', so));
    }
  }
  writeFileSync(join(tree.configPath, 'main.cf'), [
    'compatibility_level = 3.6',
    `queue_directory = ${tree.spool}`,
    `command_directory = ${tree.bin}`,
    `daemon_directory = ${tree.libexec}`,
    `meta_directory = ${tree.meta}`,
    `data_directory = ${tree.data}`,
    `shlib_directory = ${join(top, 'lib')}`,
    `sendmail_path = ${join(tree.bin, 'sendmail')}`,
    `newaliases_path = ${join(tree.bin, 'newaliases')}`,
    `mailq_path = ${join(tree.bin, 'mailq')}`,
    `manpage_directory = ${join(top, 'man')}`,
    'mail_owner = postfix', 'setgid_group = postdrop',
    'html_directory = no', 'readme_directory = no',
    `sample_directory = ${tree.meta}`,
    'myhostname = mail.example.test', 'mydestination =', 'alias_maps =', 'alias_database =',
    'inet_interfaces = loopback-only', 'inet_protocols = ipv4', 'mynetworks = 127.0.0.0/8',
    // There is no syslog here: the log goes to a file, through postlogd when master runs.
    `maillog_file = ${tree.maillog}`, `maillog_file_prefixes = ${top}/`,
    ...(opts.mainCf ?? []),
    '',
  ].join('\n'));
  writeFileSync(join(tree.configPath, 'master.cf'), opts.masterCf
    ?? 'postlog   unix-dgram n  -       n       -       1       postlogd\n');
  return tree;
}

/** Run a program of the tree (bin/name) as root, with the environment of an init script. */
export function runTree(tree: Tree, name: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return runProgram(join(tree.bin, name), args, { cwd: tree.top, argv0: name, ...opts });
}

/** Run postfix -c etc/ ... */
export function postfix(tree: Tree, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return runTree(tree, 'postfix', ['-c', tree.config, ...args], opts);
}

/**
 * Run a program of a defaultInstance tree in a private mount namespace where /etc is an
 * overlay whose upper layer is the tree's upper/ (so /etc/postfix is upper/postfix, and
 * what the program changes under /etc stays in the tree). With tty, on a pseudo-terminal
 * (output then arrives on stdout). argv[0] is the full path (the programs print basenames).
 */
export function runDefault(tree: Tree, name: string, args: readonly string[], opts: { tty?: boolean; env?: Record<string, string> } = {}): Promise<RunResult> {
  let command = `exec ${[join(tree.bin, name), ...args].map(shellQuote).join(' ')}`;
  if (opts.tty) command = `exec script -qec ${shellQuote(command)} /dev/null`;
  const mount = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${shellQuote(join(tree.top, 'upper'))},`
    + `workdir=${shellQuote(join(tree.top, 'work'))} /etc`;
  return runProgram('/usr/bin/unshare', ['-m', '/bin/sh', '-c', `${mount} && ${command}`],
    { argv0: 'unshare', cwd: tree.top, env: { SHELL: '/bin/sh', ...opts.env } });
}

/** Mail log lines with the time and the process ID masked (both differ from run to run). */
export function maillogLines(tree: Tree): string[] {
  let text: string;
  try {
    text = readFileSync(tree.maillog, 'latin1');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l !== '')
    .map((l) => l.replace(/^[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d /, 'TIME ').replace(/\[\d+\]: /, '[PID]: '));
}

export interface Entry {
  type: string;
  mode: string;
  owner: string;
  content?: string;
}

/**
 * Every file under the tree (except src/, the build, and the maillog), with type, mode,
 * owner and group, and the content of the configuration files.
 */
export function snapshot(tree: Tree): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const walk = (rel: string) => {
    const path = join(tree.top, rel);
    const st = lstatSync(path);
    const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? `l->${readlinkSync(path)}` : st.isFile() ? 'f'
      : st.isSocket() ? 's' : st.isFIFO() ? 'p' : '?';
    const entry: Entry = { type, mode: (st.mode & 0o7777).toString(8), owner: `${st.uid}:${st.gid}` };
    if ((rel.startsWith('etc/') || rel.startsWith('upper/')) && st.isFile()) entry.content = readFileSync(path, 'latin1');
    out[rel || '.'] = entry;
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = rel ? `${rel}/${name}` : name;
        if (child === 'src' || child === 'maillog' || child === 'work') continue;
        walk(child);
      }
    }
  };
  walk('');
  return out;
}

/** Stop the masters that a test started, by their pid files (each with its process group). */
export function killMaster(tree: Tree): void {
  const pidFiles = [join(tree.spool, 'pid', 'master.pid')];
  try {
    for (const name of readdirSync(join(tree.top, 'spool'))) pidFiles.push(join(tree.top, 'spool', name, 'pid', 'master.pid'));
  } catch {
    // no spool directory
  }
  for (const file of pidFiles) {
    let pid: number;
    try {
      pid = Number(readFileSync(file, 'latin1').trim());
    } catch {
      continue;
    }
    if (!(pid > 1)) continue;
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}
