#!/usr/bin/env node
/*
 * postmulti-script - the instance changes that postmulti(1) -e asks for: init, create,
 * import, deport, destroy, enable, disable, assign; installed as $daemon_directory/postmulti-script.
 * Counterpart: postfix/conf/postmulti-script (a shell script there). postmulti has put the
 * target instance's directories and names in the environment, and $command_directory first
 * in PATH; like the script, we edit main.cf files with postconf and run postfix from there.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, renameSync, rmdirSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msgPrintf, msgVstreamInit, MSG_FATAL, MSG_WARN } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { runScript, scriptExit as exit } from '../util/script_exit.js';
import { strerror } from '../util/strerror.js';
import { writeAll } from '../util/vstream.js';
import { mailConfLookup, mailConfRead } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';

const ACTIONS = ['create', 'import', 'destroy', 'deport', 'enable', 'disable', 'assign', 'init'];
/** Settings a new instance copies from the default one when main.cf sets them there. */
const SHARED_PARAMETERS = ['command_directory', 'daemon_directory', 'meta_directory', 'mail_owner', 'setgid_group',
  'sendmail_path', 'mailq_path', 'newaliases_path', 'html_directory', 'manpage_directory', 'sample_directory',
  'readme_directory', 'shlib_directory'];
const QUEUE_SUBDIRS = ['active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'incoming', 'maildrop',
  'pid', 'private', 'public', 'saved', 'trace'];

const err = (text: string) => writeAll(2, Buffer.from(`${text}\n`, 'latin1'));
const sleepOneSecond = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);

/** "postlog -p fatal -t $TAG text", then exit 1. */
function fatal(text: string): never {
  msgPrintf(MSG_FATAL, text);
  sleepOneSecond();
  return exit(1);
}
const warn = (text: string) => msgPrintf(MSG_WARN, text);

/** Run a command found in PATH (postconf, postfix); returns status and the standard output. */
function run(command: string, args: readonly string[], opts: { capture?: boolean; quiet?: boolean } = {}): [number, string] {
  const result = spawnSync(command, args, {
    argv0: command, encoding: 'latin1',
    stdio: ['inherit', opts.capture ? 'pipe' : opts.quiet ? 'ignore' : 'inherit', opts.quiet ? 'ignore' : 'inherit'],
  });
  if (result.error !== undefined) {
    if (!opts.quiet) err(`${command}: ${strerror(result.error)}`);
    return [127, ''];
  }
  return [result.status ?? 1, (result.stdout ?? '').replace(/\n+$/, '')];
}

const env = (name: string) => process.env[name] ?? '';

/** Move an instance into or out of multi_instance_directories and alternate_config_directories. */
function updateConfigDirs(op: 'add' | 'del', dir: string): number {
  const [status, alt] = run('postconf', ['-h', 'alternate_config_directories'], { capture: true });
  if (status !== 0) return 1;
  let keep = '';
  let found = false;
  for (const d of alt.trim().split(/[ \t\n]*,[ \t\n]*|[ \t\n]+/).filter((w, i, all) => w !== '' || all.length > 1)) {
    if (d === dir) found = true;
    else keep += ` ${d}`;
  }
  const settings = [`multi_instance_directories = ${env('multi_instance_directories')}`];
  if (op === 'add' && !found) settings.push(`alternate_config_directories =${keep} ${dir}`);
  if (op === 'del' && found) settings.push(`alternate_config_directories =${keep}`);
  return run('postconf', ['-e', ...settings])[0] === 0 ? 0 : 1;
}

/** Set the instance name and group that postmulti exported ("-" clears). */
function assignNames(configDir: string): number {
  const settings: string[] = [];
  for (const name of ['multi_instance_name', 'multi_instance_group']) {
    const value = env(name);
    if (value !== '') settings.push(`${name} = ${value === '-' ? '' : value}`);
  }
  if (settings.length === 0) return 0;
  return run('postconf', ['-c', configDir, '-e', ...settings])[0] === 0 ? 0 : 1;
}

/** mkdir -p with a umask; false after mkdir's complaint. */
function makeDirs(path: string, umask: number): boolean {
  const old = process.umask(umask);
  try {
    mkdirSync(path, { recursive: true, mode: 0o777 });
    return true;
  } catch (e) {
    err(`mkdir: cannot create directory '${(e as NodeJS.ErrnoException).path ?? path}': ${strerror(e)}`);
    return false;
  } finally {
    process.umask(old);
  }
}

/** cp -p: contents, mode, owner and times. */
function copyPreserve(from: string, to: string): boolean {
  try {
    copyFileSync(from, to);
    const st = statSync(from);
    chownSync(to, st.uid, st.gid);
    chmodSync(to, st.mode & 0o7777);
    utimesSync(to, st.atime, st.mtime);
    return true;
  } catch (e) {
    err(`cp: cannot stat '${from}': ${strerror(e)}`);
    return false;
  }
}

function move(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (e) {
    err(`mv: cannot move '${from}' to '${to}': ${strerror(e)}`);
    return false;
  }
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};
const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** create and import: the new instance's files (create), names, the lists, its permissions. */
function addInstance(action: string, configDir: string): void {
  const metaDir = env('meta_directory');
  if (!isFile(`${configDir}/main.cf`) || !isFile(`${configDir}/master.cf`)) {
    if (action !== 'create') {
      if (!isFile(`${configDir}/main.cf`)) fatal(`'${configDir}' lacks a main.cf file`);
      if (!isFile(`${configDir}/master.cf`)) fatal(`'${configDir}' lacks a master.cf file`);
    }
    if (!isFile(`${metaDir}/main.cf.proto`)) fatal(`Missing main.cf prototype: ${metaDir}/main.cf.proto`);
    if (!isFile(`${metaDir}/master.cf.proto`)) fatal(`Missing master.cf prototype: ${metaDir}/master.cf.proto`);
    const queueDir = env('queue_directory');
    const dataDir = env('data_directory');
    if (!isDir(configDir) && !makeDirs(configDir, 0o022)) exit(1);
    if (!isDir(queueDir) && !makeDirs(queueDir, 0o022)) exit(1);
    if (!isDir(dataDir) && !makeDirs(dataDir, 0o077)) exit(1);
    const tmpDir = `${configDir}/.tmp`;
    if (!makeDirs(tmpDir, 0o077)) exit(1);
    if (!copyPreserve(`${metaDir}/main.cf.proto`, `${tmpDir}/main.cf`)) exit(1);

    // Installation settings that the default instance sets explicitly are copied; the
    // others are commented out, so that the new instance follows the defaults.
    const settings: string[] = [];
    const commentOut: string[] = [];
    for (const name of SHARED_PARAMETERS) {
      const value = mailConfLookup(name) ?? '';
      if (value !== '') settings.push(`${name} = ${value}`);
      else commentOut.push(name);
    }
    if (commentOut.length > 0 && run('postconf', ['-c', tmpDir, '-#', ...commentOut])[0] !== 0) exit(1);
    // New instances start with inet services and local submission disabled.
    if (run('postconf', ['-c', tmpDir, '-e', `queue_directory = ${queueDir}`, `data_directory = ${dataDir}`,
      'authorized_submit_users =', 'master_service_disable = inet', ...settings])[0] !== 0) exit(1);
    if (!copyPreserve(`${metaDir}/master.cf.proto`, `${tmpDir}/master.cf`)) exit(1);
    // master.cf last: once it is there, the instance is complete.
    if (!move(`${tmpDir}/main.cf`, `${configDir}/main.cf`)) exit(1);
    if (!move(`${tmpDir}/master.cf`, `${configDir}/master.cf`)) exit(1);
    try {
      rmdirSync(tmpDir);
    } catch {
      // as "rmdir ... 2>/dev/null"
    }
  }
  if (assignNames(configDir) !== 0) exit(1);
  // Before set-permissions: until it is listed, post-install treats it as an independent instance.
  if (updateConfigDirs('del', configDir) !== 0) exit(1);
  if (run('postfix', ['-c', configDir, 'set-permissions'])[0] !== 0) exit(1);
}

const isRunning = (configDir: string) => run('postfix', ['-c', configDir, 'status'], { quiet: true })[0] === 0;

function deport(configDir: string): void {
  // Deporting an instance that is already gone.
  if (!isFile(`${configDir}/main.cf`)) exit(updateConfigDirs('del', configDir));
  if (isRunning(configDir)) fatal(`Instance '${configDir}' is not stopped`);
  if (updateConfigDirs('add', configDir) !== 0) exit(1);
}

/**
 * Remove an instance that is still as "create" left it: only the directories and files we
 * know, each only when empty. The queue directories are removed through "postfix -c dir
 * /bin/sh -c ...", which runs in the queue directory of the instance.
 */
function destroy(configDir: string): void {
  const tag = `${env('MAIL_LOGTAG')}/postmulti-script`;
  if (!isFile(`${configDir}/main.cf`)) fatal(`${configDir}/main.cf file not found`);
  if (isRunning(configDir)) fatal(`Instance '${configDir}' is not stopped`);
  if (updateConfigDirs('del', configDir) !== 0) exit(1);
  const warnCommand = `postlog -p warn -t ${tag}`;
  run('postfix', ['-c', configDir, '/bin/sh', '-c', `
    for q in ${QUEUE_SUBDIRS.join(' ')}
    do
	rmdir -- $q ||
	    ${warnCommand} \`pwd\`/$q: please verify contents and remove by hand
    done
    `]);
  run('postfix', ['-c', configDir, '/bin/sh', '-c', `
    for dir in $data_directory $queue_directory
    do
	rmdir -- $dir ||
	    ${warnCommand} $dir: please verify contents and remove by hand
    done
    `]);
  for (const name of ['master.cf', 'main.cf']) {
    try {
      unlinkSync(`${configDir}/${name}`);
    } catch {
      // as "rm -f ... 2>/dev/null"
    }
  }
  try {
    rmdirSync(configDir);
  } catch (e) {
    err(`rmdir: failed to remove '${configDir}': ${strerror(e)}`);
    warn(`${configDir}: please verify contents and remove by hand`);
  }
}

function postmultiScript(argv: readonly string[]): void {
  process.umask(0o022);
  const self = argv[0]!;
  // What the shell says for ${name:?text}, with the line of the reference script.
  const required: Array<[string, number]> = [['MAIL_CONFIG', 32], ['command_directory', 33], ['daemon_directory', 34],
    ['meta_directory', 35], ['shlib_directory', 36]];
  for (const [name, line] of required) {
    if (env(name) === '') {
      err(`${self}: ${line}: ${name}: do not invoke this command directly`);
      exit(2);
    }
  }
  const usage = (): never => {
    err(`${self}: Error: Usage: ${self} -e create|destroy|import|deport|enable|disable|assign|init`);
    return exit(1);
  };
  const tag = `${env('MAIL_LOGTAG')}/postmulti-script`;
  if (isatty(2)) msgVstreamInit(tag, 2);
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  mailConfRead();
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);

  let action = '';
  const opts = new Getopt(argv, ':e:');
  opts.opterr = false;
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    if (ch === 'e') action = opts.optarg!;
    else usage();
  }
  if (!ACTIONS.includes(action) || argv.length > opts.optind) usage();

  if (action === 'init') {
    exit(run('postconf', ['-e', 'multi_instance_wrapper = ${command_directory}/postmulti -p --',
      'multi_instance_enable = yes'])[0]);
  }
  const [wrapperStatus, wrapper] = run('postconf', ['-hx', 'multi_instance_wrapper'], { capture: true });
  if (wrapperStatus !== 0) exit(1);
  const [enableStatus, enable] = run('postconf', ['-hx', 'multi_instance_enable'], { capture: true });
  if (enableStatus !== 0) exit(1);
  if (wrapper === '') fatal("multi_instance_wrapper is empty, run 'postmulti -e init' first.");
  if (enable !== 'yes') fatal("multi_instance_enable!=yes, run 'postmulti -e init' first.");
  const configDir = env('config_directory');
  if (configDir === '') {
    err(`${self}: 127: config_directory: Invalid empty target instance config_directory`);
    exit(2);
  }
  switch (action) {
    case 'create':
    case 'import':
      addInstance(action, configDir);
      break;
    case 'deport':
      deport(configDir);
      break;
    case 'destroy':
      destroy(configDir);
      break;
    case 'enable':
    case 'disable':
      if (run('postconf', ['-c', configDir, '-e', `multi_instance_enable = ${action === 'enable' ? 'yes' : 'no'}`])[0] !== 0) exit(1);
      break;
    case 'assign':
      if (assignNames(configDir) !== 0) exit(1);
      break;
  }
}

export function main(argv: string[]): void {
  process.exitCode = runScript(() => postmultiScript(argv));
}

if (isMainModule(import.meta.url)) main(programArgv());
