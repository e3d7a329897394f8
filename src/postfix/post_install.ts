#!/usr/bin/env node
/*
 * post-install - create missing directories, set owners and modes from postfix-files, and
 * upgrade master.cf and main.cf; installed as $daemon_directory/post-install.
 * Counterpart: postfix/conf/post-install (a shell script there), run by "postfix check",
 * "postfix set-permissions" and "postfix upgrade-configuration". Same arguments, messages and
 * edits; postconf queries and the file operations run in-process, main.cf edits through
 * $command_directory/postconf, text formatting through fmt(1), as in the script.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, appendFileSync, constants as fsConstants, readFileSync, writeFileSync } from 'node:fs';
import { writeAll } from '../util/vstream.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { runScript, scriptExit as exit } from '../util/script_exit.js';
import { CONF_ENV_PATH, DEF_CONFIG_DIR, mailConfLookup, mailConfRead, mailConfStr, paramDefault } from '../global/mail_conf.js';
import { find, isDirectory, isReadable, isRegularFile, shellWords } from './postfix_find.js';
import { postconfComplaints } from './postfix_run.js';
import { expandShellVars, parsePostfixFiles } from './postfix_files.js';
import { chgrpTool, chmodDirsTool, chmodTool, chownTool, mkdirTool } from './postfix_perms.js';

const MOST_PARAMETERS = ['command_directory', 'daemon_directory', 'data_directory', 'html_directory',
  'mail_owner', 'mailq_path', 'manpage_directory', 'newaliases_path', 'queue_directory', 'readme_directory',
  'sample_directory', 'sendmail_path', 'setgid_group', 'shlib_directory', 'meta_directory'];
const NON_SHARED = ['config_directory', 'queue_directory', 'data_directory'];
/** The order in which a changed installation is written to main.cf. */
const OVERRIDE_ORDER = ['daemon_directory', 'command_directory', 'queue_directory', 'data_directory', 'mail_owner',
  'setgid_group', 'sendmail_path', 'mailq_path', 'newaliases_path', 'html_directory', 'manpage_directory',
  'sample_directory', 'readme_directory', 'shlib_directory', 'meta_directory'];
const SCRIPT_PATH = '/bin:/usr/bin:/usr/sbin:/usr/etc:/sbin:/etc:/usr/contrib/bin:/usr/gnu/bin:/usr/ucb:/usr/bsd';

const out = (text: string) => writeAll(1, Buffer.from(`${text}\n`, 'latin1'));
const err = (text: string) => writeAll(2, Buffer.from(`${text}\n`, 'latin1'));

function usage(self: string): string {
  return `Usage: ${self} [name=value] command
    create-missing          Create missing queue directories.
    upgrade-source          When installing or upgrading from source code.
    upgrade-package         When installing or upgrading from pre-built package.
    first-install-reminder  Remind of mandatory first-time configuration steps.
    name=value              Specify an installation parameter.`;
}

/** The shell variables of the script: the environment, then name=value arguments. */
type Vars = Map<string, string>;
const v = (vars: Vars, name: string) => vars.get(name) ?? '';

/** Text through fmt(1), to a descriptor. */
function formatted(text: string, fd: 1 | 2): void {
  const result = spawnSync('fmt', [], { input: Buffer.from(text, 'latin1'), stdio: ['pipe', 'pipe', 'inherit'] });
  if (result.stdout !== null && result.stdout !== undefined) writeAll(fd, result.stdout);
}

/** Run $command_directory/postconf with arguments; false on failure. */
function postconf(vars: Vars, args: readonly string[]): boolean {
  const path = `${v(vars, 'command_directory')}/postconf`;
  const result = spawnSync(path, args, { argv0: path, stdio: 'inherit' });
  return result.error === undefined && result.status === 0;
}

function executable(command: string, path: string): boolean {
  const candidates = command.includes('/') ? [command] : path.split(':').map((d) => `${d || '.'}/${command}`);
  return candidates.some((c) => {
    try {
      accessSync(c, fsConstants.X_OK);
      return isRegularFile(c);
    } catch {
      return false;
    }
  });
}

/*
 * The postconf queries of the script, answered in-process. POSTCONF is the command as the
 * script would run it, for the complaints that postconf makes about master.cf each time;
 * a query with -d reads the master.cf of MAIL_CONFIG (or the default directory).
 */
let POSTCONF = 'postconf';
let defaultsConfigDir = DEF_CONFIG_DIR;
const complain = (configDir: string) => postconfComplaints(POSTCONF, configDir);

/** main.cf of config_directory, read once, for the "postconf -c $config_directory -h" queries. */
let loadedConfig: string | undefined;
function confStr(configDir: string, name: string): string {
  complain(configDir);
  if (loadedConfig !== configDir) {
    process.env[CONF_ENV_PATH] = configDir;
    mailConfRead();
    loadedConfig = configDir;
  }
  return mailConfStr(name);
}

/** The multi_instance_directories of the default instance, split like `... | sed 's/,/ /'`. */
function defaultInstances(defConfigDir: string, vars: Vars): string[] {
  if (!isRegularFile(`${defConfigDir}/main.cf`)) return [];
  const path = `${v(vars, 'command_directory')}/postconf`;
  const result = spawnSync(path, ['-c', defConfigDir, '-h', 'multi_instance_directories'],
    { argv0: path, stdio: ['inherit', 'pipe', 'inherit'], encoding: 'latin1' });
  if (result.error !== undefined || result.status !== 0) exit(1);
  return shellWords(result.stdout.replace(',', ' '));
}

interface Actions {
  create: boolean;
  setPerms: boolean;
  upgradePerms: boolean;
  upgradeConf: boolean;
  firstInstallReminder: boolean;
}

function parseArguments(self: string, args: readonly string[], vars: Vars): Actions {
  const act: Actions = { create: false, setPerms: false, upgradePerms: false, upgradeConf: false, firstInstallReminder: false };
  for (const arg of args) {
    if (/[ \t]/.test(arg)) {
      out(`${self}: Error: argument contains whitespace: '${arg}'`);
      exit(1);
    }
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      vars.set(arg.slice(0, eq), arg.slice(eq + 1));
    } else if (arg === 'create-missing') {
      act.create = true;
    } else if (arg.startsWith('set-perm')) {
      act.create = act.setPerms = true;
    } else if (arg.startsWith('upgrade-perm')) {
      act.create = act.upgradePerms = true;
    } else if (arg.startsWith('upgrade-conf')) {
      act.upgradeConf = true;
    } else if (arg === 'upgrade-source') {
      act.create = act.upgradeConf = act.upgradePerms = true;
    } else if (arg === 'upgrade-package') {
      act.create = act.upgradeConf = act.setPerms = true;
    } else if (arg.startsWith('first-install')) {
      act.firstInstallReminder = true;
    } else {
      err(`${self}: Error: ${usage(self)}`);
      exit(1);
    }
  }
  if (!act.create && !act.upgradeConf && !act.firstInstallReminder) {
    err(`${self}: Error: ${usage(self)}`);
    exit(1);
  }
  return act;
}

/** Postfix 2.x installations kept some settings in install.cf, a shell fragment. */
function importInstallCf(vars: Vars, configDir: string): void {
  let mainCf = '';
  try {
    mainCf = readFileSync(`${configDir}/main.cf`, 'latin1');
  } catch {
    // no main.cf: grep fails, so install.cf is consulted
  }
  if (mainCf.includes('setgid_group') || !isRegularFile(`${configDir}/install.cf`)) return;
  for (const name of ['sendmail_path', 'newaliases_path', 'mailq_path', 'setgid', 'manpages']) {
    if (v(vars, name) !== '') continue;
    const result = spawnSync('/bin/sh', ['-c', `. "$1"; eval echo "\\$$2"`, 'sh', `${configDir}/install.cf`, name],
      { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'latin1' });
    if (result.status !== 0) exit(1);
    vars.set(name, result.stdout.replace(/\n+$/, ''));
  }
  if (!vars.has('setgid_group')) vars.set('setgid_group', v(vars, 'setgid'));
  if (!vars.has('manpage_directory')) vars.set('manpage_directory', v(vars, 'manpages'));
}

function checkParameters(self: string, vars: Vars, configDir: string): void {
  if (v(vars, 'manpage_directory') === 'no') {
    err(`${self}: Error: manpage_directory no longer accepts "no" values.`);
    err(`Try again with "${self} manpage_directory=/pathname ...".`);
    exit(1);
  }
  if (v(vars, 'setgid_group') === 'no') {
    err(`${self}: Error: setgid_group no longer accepts "no" values.`);
    err(`Try again with "${self} setgid_group=groupname ..."`);
    exit(1);
  }
  for (const name of ['daemon_directory', 'command_directory', 'queue_directory', 'sendmail_path', 'newaliases_path',
    'mailq_path', 'manpage_directory', 'meta_directory']) {
    const path = v(vars, name);
    if (!path.startsWith('/')) {
      err(`${self}: Error: "${path}" should be an absolute path name.`);
      exit(1);
    }
  }
  for (const name of ['html_directory', 'readme_directory', 'shlib_directory']) {
    const path = v(vars, name);
    if (!path.startsWith('/') && path !== 'no') {
      err(`${self}: Error: "${path}" should be "no" or an absolute path name.`);
      exit(1);
    }
  }
  const missing = MOST_PARAMETERS.filter((name) => v(vars, name) === '');
  if (v(vars, 'non_interactive') !== '' && missing.length > 0) {
    formatted(`${self}: Error: some required installation parameters are not defined.

- Either the parameters need to be given in the ${configDir}/main.cf
file from a recent Postfix installation,

- Or the parameters need to be specified through the process
environment.

- Or the parameters need to be specified as name=value arguments
on the ${self} command line,

The following parameters were missing:

    ${missing.map((m) => ` ${m}`).join('')}

`, 2);
    exit(1);
  }
}

/**
 * When the installation parameters differ from main.cf (given on the command line, say),
 * write them all to main.cf, with a trailing mail_version in a value kept as ${mail_version}.
 */
function updateMainCf(vars: Vars, configDir: string): void {
  if (v(vars, 'mail_version') === '') complain(defaultsConfigDir);
  const mailVersion = v(vars, 'mail_version') || paramDefault('mail_version')!;
  const values = new Map<string, string>();
  for (const name of MOST_PARAMETERS) {
    const value = v(vars, name);
    values.set(name, value.includes(mailVersion) && value.endsWith(mailVersion)
      ? `${value.slice(0, -mailVersion.length)}\${mail_version}` : value);
  }
  const override = MOST_PARAMETERS.some((name) => values.get(name) !== confStr(configDir, name)); // stops at the first
  if (!override) return;
  if (!postconf(vars, ['-c', configDir, '-e', ...OVERRIDE_ORDER.map((name) => `${name} = ${values.get(name)}`)])) exit(1);
}

/** The create and permission pass over postfix-files and postfix-files.d. Returns obsolete paths. */
function setPermissions(vars: Vars, act: Actions, configDir: string, defConfigDir: string, updateSharedFiles: boolean): string[] {
  const metaDir = v(vars, 'meta_directory');
  const lists = [`${metaDir}/postfix-files`];
  const dropIn = `${metaDir}/postfix-files.d`;
  if (isDirectory(dropIn)) {
    const found: string[] = [];
    find([dropIn], {}, (p, st) => {
      if (st.isFile()) found.push(p);
    });
    lists.push(...found.sort());
  }
  const obsolete: string[] = [];
  const lookup = (name: string) => vars.get(name) ?? '';
  for (const list of lists) {
    let text: string;
    try {
      text = readFileSync(list, 'latin1');
    } catch {
      return exit(1);
    }
    for (const entry of parsePostfixFiles(text)) {
      if (!entry.path.startsWith('$')) continue;
      // A secondary instance touches only its own files.
      if (!updateSharedFiles && !NON_SHARED.some((name) => entry.path.startsWith(`$${name}`))) continue;
      if (entry.type === 'h' || entry.type === 'l') continue;
      if (entry.type !== 'd' && entry.type !== 'f') {
        err(`unknown type ${entry.type} for ${entry.path} in ${list}`);
        exit(1);
      }
      const field = (value: string) => (value.startsWith('$') ? expandShellVars(value, lookup) : value === '-' ? '' : value);
      const path = field(entry.path);
      const owner = field(entry.owner);
      const group = field(entry.group);
      const flags = field(entry.flags);
      const mode = entry.mode;
      if (path === 'no' || path.startsWith('no/')) continue;
      const recursive = flags.includes('r');
      if (/[1i]/.test(flags) && !isReadable(path) && configDir !== defConfigDir) continue;
      if (flags.includes('o')) {
        if (isReadable(path) && entry.type !== 'd') obsolete.push(path);
        continue;
      }
      let setPermission = false;
      if (act.create && entry.type === 'd' && flags.includes('c') && !isDirectory(path)) {
        if (mkdirTool(path) !== 0) exit(1);
        setPermission = true;
      } else if (act.setPerms) {
        setPermission = true;
      } else if (act.upgradePerms && flags.includes('u')) {
        setPermission = true;
      }
      if (!setPermission) continue;
      if (owner === '') {
        err(`chown: missing operand after '${path}'`);
        err("Try 'chown --help' for more information.");
        exit(1);
      }
      if (chownTool(recursive, owner, path) !== 0) exit(1);
      if (group !== '' && chgrpTool(recursive, group, path) !== 0) exit(1);
      // Not chmod -R: the mode bits of queue files say whether they are complete.
      const status = entry.type === 'd' && recursive ? chmodDirsTool(mode, path) : chmodTool(mode, path);
      if (status !== 0) exit(1);
    }
  }
  return obsolete;
}

/** The master.cf text, for grep; undefined (after grep's complaint) when unreadable. */
function masterCfLines(masterCf: string): string[] {
  try {
    return readFileSync(masterCf, 'latin1').split('\n');
  } catch (e) {
    err(`grep: ${masterCf}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : 'Permission denied'}`);
    return [];
  }
}

const grep = (masterCf: string, re: RegExp) => masterCfLines(masterCf).some((line) => re.test(line));

/**
 * What "ed file" does with "/re/", substitutions, "p", "w", "q": print the size it read,
 * the first matching line, the line after the substitutions, and the size it wrote.
 */
type Substitution = [RegExp, (match: string, ...groups: string[]) => string];

function edEdit(masterCf: string, re: RegExp, substitutions: Substitution[]): boolean {
  let text: string;
  try {
    text = readFileSync(masterCf, 'latin1');
  } catch {
    return false;
  }
  out(String(text.length));
  const lines = text.split('\n');
  const hasNewline = lines[lines.length - 1] === '';
  if (hasNewline) lines.pop();
  const index = lines.findIndex((line) => re.test(line));
  if (index < 0) {
    out('?');
    return false;
  }
  out(lines[index]!);
  let line = lines[index]!;
  for (const [from, to] of substitutions) line = line.replace(from, to as (m: string, ...g: string[]) => string);
  lines[index] = line;
  out(line);
  const result = `${lines.join('\n')}\n`;
  writeFileSync(masterCf, result, 'latin1');
  out(String(result.length));
  return true;
}

function appendService(masterCf: string, what: string, entry: string): void {
  out(`Editing ${masterCf}, adding missing entry for ${what}`);
  try {
    appendFileSync(masterCf, `${entry}\n`, 'latin1');
  } catch {
    exit(1);
  }
}

function upgradeConfiguration(vars: Vars, configDir: string, obsolete: readonly string[]): void {
  const masterCf = `${configDir}/master.cf`;
  const T = '[ \\t]';
  const ensure = (re: RegExp, what: string, entry: string) => {
    if (!grep(masterCf, re)) appendService(masterCf, what, entry);
  };
  const edit = (re: RegExp, message: string, substitutions: Substitution[]) => {
    if (!grep(masterCf, re)) return;
    out(`Editing ${masterCf}, ${message}`);
    if (!edEdit(masterCf, re, substitutions)) exit(1);
  };

  ensure(/^relay/, 'relay service', 'relay\t  unix\t-\t-\tn\t-\t-\tsmtp');
  ensure(/^flush.*flush/, 'flush service', 'flush     unix  -       -       n       1000?   0       flush');
  ensure(/trace.*bounce/, 'trace service', 'trace\t  unix\t-\t-\tn\t-\t0\tbounce');
  ensure(/^verify.*verify/, 'verify service', 'verify\t  unix\t-\t-\tn\t-\t1\tverify');
  edit(new RegExp(`^verify.*${T}0${T}*verify`), 'setting verify process limit to 1',
    [[new RegExp(`(${T})0(${T})`), (_m, a: string, b: string) => `${a}1${b}`]]);
  edit(new RegExp(`^pickup${T}*fifo${T}*n${T}*n`), 'making the pickup service unprivileged',
    [[new RegExp(`(n${T}*)n`), (_m, a: string) => `${a}-`]]);
  for (const name of ['cleanup', 'flush']) {
    edit(new RegExp(`^${name}${T}*unix${T}*[-y]`), `making the ${name} service public`, [[/[-y]/, () => 'n']]);
  }

  // Only defer and deferred need hashing; there can be very many files in them.
  const found = confStr(configDir, 'hash_queue_names');
  let missing = '';
  if (!found.includes('defer')) missing += ' defer';
  if (!found.includes('deferred')) missing += ' deferred';
  if (missing !== '') {
    out(`fixing main.cf hash_queue_names for missing ${shellWords(missing).join(' ')}`);
    if (!postconf(vars, ['-c', configDir, '-e', `hash_queue_names=${found}${missing}`])) exit(1);
  }

  ensure(/^proxymap.*proxymap/, 'proxymap service', 'proxymap  unix\t-\t-\tn\t-\t-\tproxymap');
  ensure(/^anvil.*anvil/, 'anvil service', 'anvil\t  unix\t-\t-\tn\t-\t1\tanvil');
  ensure(/^scache.*scache/, 'scache service', 'scache\t  unix\t-\t-\tn\t-\t1\tscache');
  ensure(/^discard.*discard/, 'discard service', 'discard\t  unix\t-\t-\tn\t-\t-\tdiscard');
  edit(new RegExp(`^tlsmgr${T}*fifo${T}`), 'updating the tlsmgr from fifo to unix service',
    [[/fifo/, () => 'unix'], [/[0-9][0-9]*/, (m) => `${m}?`]]);
  ensure(/^tlsmgr.*tlsmgr/, 'tlsmgr service', 'tlsmgr    unix  -       -       n       1000?   1       tlsmgr');
  ensure(/^retry.*error/, 'retry service', 'retry     unix  -       -       n       -       -       error');
  ensure(/^proxywrite.*proxymap/, 'proxywrite service', 'proxywrite unix -       -       n       -       1       proxymap');
  edit(new RegExp(`^proxywrite.*-${T}*proxymap`), 'setting proxywrite process limit to 1',
    [[new RegExp(`-(${T}*proxymap)`), (_m, a: string) => `1${a}`]]);
  ensure(/^#*smtp.*postscreen/, 'postscreen TCP service', '#smtp      inet  n       -       n       -       1       postscreen');
  ensure(/^#*smtpd.*smtpd/, 'smtpd unix-domain service', '#smtpd     pass  -       -       n       -       -       smtpd');
  ensure(/^#*dnsblog.*dnsblog/, 'dnsblog unix-domain service', '#dnsblog   unix  -       -       n       -       0       dnsblog');
  ensure(/^#*tlsproxy.*tlsproxy/, 'tlsproxy unix-domain service', '#tlsproxy  unix  -       -       n       -       0       tlsproxy');

  if (obsolete.length > 0) {
    formatted(`
    Note: the following files or directories still exist but are
    no longer part of Postfix:

    ${obsolete.map((p) => ` ${p}`).join('')}

`, 1);
  }

  // Postfix 2.9 changed the IPv6 default; keep IPv4 only unless main.cf says otherwise.
  complain(defaultsConfigDir);
  const explicit = () => {
    confStr(configDir, 'inet_protocols'); // postconf -c $config_directory -n inet_protocols
    return mailConfLookup('inet_protocols') !== undefined;
  };
  if (paramDefault('inet_protocols') !== 'ipv4' && !explicit()) {
    formatted(`    COMPATIBILITY: editing ${configDir}/main.cf, setting
    inet_protocols=ipv4.  Specify inet_protocols explicitly if you
    want to enable IPv6.
    In a future release IPv6 will be enabled by default.
`, 1);
    if (!postconf(vars, ['-c', configDir, 'inet_protocols=ipv4'])) exit(1);
  }

  ensure(/^postlog/, 'postlog unix-domain datagram service', 'postlog   unix-dgram n  -       n       -       1       postlogd');
}

function firstInstallReminder(configDir: string): void {
  const aliases = confStr(configDir, 'alias_database').replace(/^[^:]*:/, '');
  const newaliases = confStr(configDir, 'newaliases_path');
  formatted(`
    Warning: you still need to edit myorigin/mydestination/mynetworks
    parameter settings in ${configDir}/main.cf.

    See also http://www.postfix.org/STANDARD_CONFIGURATION_README.html
    for information about dialup sites or about sites inside a
    firewalled network.

    BTW: Check your ${aliases} file and be sure to set up aliases
    that send mail for root and postmaster to a real person, then
    run ${newaliases}.

`, 1);
}

function postInstall(argv: readonly string[]): void {
  process.umask(0o022);
  process.env.PATH = SCRIPT_PATH;
  const self = argv[0]!;
  const vars: Vars = new Map(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const act = parseArguments(self, argv.slice(1), vars);

  POSTCONF = v(vars, 'command_directory') !== '' ? `${v(vars, 'command_directory')}/postconf` : 'postconf';
  if (!executable(POSTCONF, SCRIPT_PATH)) {
    err(`${self}: Error: no ${POSTCONF} command found.`);
    err(`Re-run this command as ${self} command_directory=/some/where.`);
    exit(1);
  }
  defaultsConfigDir = process.env[CONF_ENV_PATH] ?? DEF_CONFIG_DIR;
  complain(defaultsConfigDir); // postconf -d -h config_directory
  const defConfigDir = DEF_CONFIG_DIR;
  if (v(vars, 'config_directory') === '') vars.set('config_directory', defConfigDir);
  const configDir = v(vars, 'config_directory');
  if (!isDirectory(configDir)) {
    err(`${self}: Error: ${configDir} is not a directory.`);
    exit(1);
  }
  const instances = defaultInstances(defConfigDir, vars);
  let updateSharedFiles = true;
  for (const name of instances) {
    if (name === defConfigDir) continue;
    if (name === configDir) {
      updateSharedFiles = false;
      break;
    }
  }
  if (!isRegularFile(`${v(vars, 'meta_directory')}/postfix-files`)) {
    err(`${self}: Error: ${v(vars, 'meta_directory')}/postfix-files is not a file.`);
    exit(1);
  }
  importInstallCf(vars, configDir);
  if (isRegularFile(`${configDir}/main.cf`)) {
    for (const name of MOST_PARAMETERS) {
      if (v(vars, name) === '') vars.set(name, confStr(configDir, name));
    }
  }
  checkParameters(self, vars, configDir);
  POSTCONF = `${v(vars, 'command_directory')}/postconf`;
  updateMainCf(vars, configDir);

  const obsolete = act.create ? setPermissions(vars, act, configDir, defConfigDir, updateSharedFiles) : [];
  if (act.upgradeConf) upgradeConfiguration(vars, configDir, obsolete);
  if (act.firstInstallReminder) firstInstallReminder(configDir);
}

export function main(argv: string[]): void {
  process.exitCode = runScript(() => postInstall(argv));
}

if (isMainModule(import.meta.url)) main(programArgv());
