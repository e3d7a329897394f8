#!/usr/bin/env node
/*
 * NAME
 *	postmulti - Postfix multi-instance manager
 * SYNOPSIS
 *	postmulti -l [-aRv] [-g group] [-i name]
 *	postmulti -p [-av] [-g group] [-i name] postfix-command...
 *	postmulti -x [-aRv] [-g group] [-i name] command...
 *	postmulti -e init [-v]
 *	postmulti -e create [-av] [-g group] [-i name] [-G group] [-I name] [param=value ...]
 *	postmulti -e import [-av] [-g group] [-i name] [-G group] [-I name] [config_directory=/path]
 *	postmulti -e destroy|deport|enable|disable [-v] -i name
 *	postmulti -e assign [-v] -i name [-I name] [-G group]
 * DESCRIPTION
 *	postmulti runs commands for several Postfix instances, and creates, removes and
 *	changes them. The default instance (the one in /etc/postfix) lists the others in
 *	multi_instance_directories; postmulti only works with that configuration directory.
 *	Each instance has an optional name (multi_instance_name, which starts with
 *	"postfix-"), an optional group (multi_instance_group), and is enabled or not
 *	(multi_instance_enable). Instances are visited in multi_instance_directories order,
 *	the default instance first.
 *
 *	Iterator modes:
 * .IP "-l"
 *	List the selected instances: name, group, enabled (y/n), configuration directory.
 * .IP "-p"
 *	Run "postfix command" for each selected instance. Commands in
 *	postmulti_start_commands run "postfix check" in a disabled instance; those in
 *	postmulti_stop_commands visit the enabled instances in reverse order; those in
 *	postmulti_control_commands visit only the enabled instances.
 * .IP "-x"
 *	Run any command for each selected instance, with MAIL_CONFIG, command_directory,
 *	daemon_directory, config_directory, queue_directory, data_directory,
 *	multi_instance_name, multi_instance_group and multi_instance_enable in its
 *	environment and $command_directory first in PATH.
 * .PP
 *	Management mode (-e action), through $daemon_directory/postmulti-script:
 * .IP "init"
 *	Prepare the default instance: set multi_instance_wrapper and multi_instance_enable.
 * .IP "create"
 *	Make a new instance from the main.cf and master.cf prototypes, with queue and data
 *	directories named after the instance (or given as param=value). It starts disabled,
 *	with inet services off.
 * .IP "import"
 *	Add an existing instance, by its config_directory.
 * .IP "deport, destroy"
 *	Remove a stopped, disabled instance from the list; destroy also removes its
 *	(empty) directories and files.
 * .IP "enable, disable"
 *	Allow or stop the start of an instance with "postfix start".
 * .IP "assign"
 *	Change the name (-I) or the group (-G) of an instance; "-" clears it.
 * .PP
 *	Selection: -a (all instances), -g group, -i name (the instance name, its part after
 *	"postfix-", its config_directory, or "-" for the default instance). With -e create
 *	or import the selection says where the new instance goes in the list. -R reverses
 *	the order of -l and -x; -v logs more.
 * DIAGNOSTICS
 *	Problems are reported to the standard error stream when it is a terminal, and to the
 *	mail log. The exit status is non-zero when a command failed for any instance.
 * CONFIGURATION PARAMETERS
 *	multi_instance_directories, multi_instance_name, multi_instance_group,
 *	multi_instance_enable, multi_instance_wrapper, postmulti_start_commands,
 *	postmulti_stop_commands, postmulti_control_commands, alternate_config_directories,
 *	import_environment, config_directory, command_directory, daemon_directory,
 *	meta_directory, shlib_directory, queue_directory, data_directory.
 * SEE ALSO
 *	postfix(1), postconf(1)
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { isatty } from 'node:tty';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgPrintf, msgVstreamInit, MSG_FATAL } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { safeGetenv } from '../util/safe.js';
import { cleanEnv } from '../util/clean_env.js';
import { strerror } from '../util/strerror.js';
import { execvp } from '../util/sys_exec.js';
import { splitNameval } from '../util/split_nameval.js';
import { CHARS_COMMA_SP, splitAny } from '../util/stringops.js';
import { vstreamOut } from '../util/vstream.js';
import { CONF_ENV_PATH, CONF_ENV_VERB, DEF_CONFIG_DIR, loadMainCf, mailConfBool, mailConfRead } from '../global/mail_conf.js';
import { mailParamsInit } from '../global/mail_params_init.js';
import { mailParmSplit } from '../global/mail_parm_split.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';

const ROOT_PATH = '/bin:/usr/bin:/sbin:/usr/sbin';
const NAME_PREFIX = 'postfix-';

/* Iterator modes and edit actions, as bit values (a mode is exactly one of them). */
const ITER_CMD_POSTFIX = 1 << 0;
const ITER_CMD_LIST = 1 << 1;
const ITER_CMD_GENERIC = 1 << 2;
const ITER_CMD_MASK_ALL = ITER_CMD_POSTFIX | ITER_CMD_LIST | ITER_CMD_GENERIC;
const EDIT_CMD_CREATE = 1 << 4;
const EDIT_CMD_IMPORT = 1 << 5;
const EDIT_CMD_DESTROY = 1 << 6;
const EDIT_CMD_DEPORT = 1 << 7;
const EDIT_CMD_ENABLE = 1 << 8;
const EDIT_CMD_DISABLE = 1 << 9;
const EDIT_CMD_ASSIGN = 1 << 10;
const EDIT_CMD_INIT = 1 << 11;
const EDIT_CMD_MASK_ADD = EDIT_CMD_CREATE | EDIT_CMD_IMPORT;
const EDIT_CMD_MASK_ASSIGN = EDIT_CMD_MASK_ADD | EDIT_CMD_ASSIGN;
const EDIT_CMD_MASK_ALL = EDIT_CMD_MASK_ASSIGN | EDIT_CMD_DESTROY | EDIT_CMD_DEPORT | EDIT_CMD_ENABLE
  | EDIT_CMD_DISABLE | EDIT_CMD_INIT;

const EDIT_COMMANDS = new Map<string, number>([
  ['create', EDIT_CMD_CREATE], ['import', EDIT_CMD_IMPORT], ['destroy', EDIT_CMD_DESTROY],
  ['deport', EDIT_CMD_DEPORT], ['enable', EDIT_CMD_ENABLE], ['disable', EDIT_CMD_DISABLE],
  ['assign', EDIT_CMD_ASSIGN], ['init', EDIT_CMD_INIT],
]);
const editName = (code: number) => [...EDIT_COMMANDS].find(([, c]) => c === code)![0];

const ITER_FLAG_REVERSE = 1 << 0;
const ITER_FLAG_CHECK_DISABLED = 1 << 1;
const ITER_FLAG_SKIP_DISABLED = 1 << 2;

const EXP_FLAG_MULTI_DIRS = 1 << 0;
const EXP_FLAG_MULTI_NAME = 1 << 1;
const EXP_FLAG_MULTI_GROUP = 1 << 2;

interface Instance {
  config_dir: string;
  queue_dir?: string;
  data_dir?: string;
  /** undefined: no name. */
  name?: string;
  gname?: string;
  enabled: boolean;
  primary: boolean;
}

type Selection = { type: 'none' | 'all' } | { type: 'name' | 'group'; name: string };

/** Assigned name and group; "" clears (given as "-"), undefined leaves alone. */
interface Assignment {
  name?: string;
  gname?: string;
}

/** The main.cf settings postmulti works with (the default instance's). */
interface Config {
  config_directory: string;
  queue_directory: string;
  data_directory: string;
  command_directory: string;
  daemon_directory: string;
  meta_directory: string;
  shlib_directory: string;
  import_environment: string;
  multi_instance_directories: string;
  multi_instance_name: string;
  multi_instance_group: string;
  multi_instance_enable: boolean;
  postmulti_start_commands: string;
  postmulti_stop_commands: string;
  postmulti_control_commands: string;
}

const SHARED_DIRS = ['command_directory', 'daemon_directory', 'meta_directory', 'shlib_directory'] as const;

/** The instances, default first, in multi_instance_directories order. */
const instances: Instance[] = [];

/*
 * Every instance name and private or shared directory belongs to one instance (a config
 * directory and parameter name); a second claim is a conflict. XXX Like Postfix, without a
 * lock: two simultaneous changes can conflict unnoticed.
 */
const claims = new Map<string, string>();

/** Postfix: register_claim(). */
function registerClaim(instancePath: string, paramName: string, value: string): void {
  const requestor = `${instancePath}, ${paramName}`;
  const owner = claims.get(value);
  if (owner === undefined) claims.set(value, requestor);
  else if (owner !== requestor) {
    msg.fatal(`instance ${instancePath}, ${paramName}=${value} conflicts with instance ${owner}=${value}`);
  }
}

function claimInstanceAttributes(ip: Instance): void {
  if (ip.name !== undefined) registerClaim(ip.config_dir, 'multi_instance_name', ip.name);
  registerClaim(ip.config_dir, 'config_directory', ip.config_dir);
  registerClaim(ip.config_dir, 'queue_directory', ip.queue_dir!);
  registerClaim(ip.config_dir, 'data_directory', ip.data_dir!);
}

const saveName = (value: string) => (value === '' ? undefined : value);

/** Postfix: match_instance_selection(). */
function matches(ip: Instance, selection: Selection): boolean {
  switch (selection.type) {
    case 'none': return false;
    case 'all': return true;
    case 'group': return ip.gname !== undefined && ip.gname === selection.name;
    case 'name': {
      const name = selection.name;
      let iname: string;
      if (name.startsWith('/') || ip.name === undefined) iname = ip.config_dir;
      else if (!name.startsWith(NAME_PREFIX) && ip.name.startsWith(NAME_PREFIX)) iname = ip.name.slice(NAME_PREFIX.length);
      else iname = ip.name;
      return name === iname || (ip.primary && name === '-');
    }
  }
}

/** Postfix: insert_instance(): before the first selected secondary instance, else last. */
function insertInstance(ip: Instance, selection?: Selection): void {
  claimInstanceAttributes(ip);
  if (selection !== undefined && selection.type !== 'none') {
    const at = instances.findIndex((old) => !old.primary && matches(old, selection));
    if (at >= 0) {
      instances.splice(at, 0, ip);
      return;
    }
    if (selection.type !== 'all') msg.fatal('No matching secondary instances');
  }
  instances.push(ip);
}

function createPrimaryInstance(cfg: Config): Instance {
  return {
    config_dir: cfg.config_directory, name: saveName(cfg.multi_instance_name),
    gname: saveName(cfg.multi_instance_group), enabled: cfg.multi_instance_enable,
    queue_dir: cfg.queue_directory, data_dir: cfg.data_directory, primary: true,
  };
}

/** Postfix: load_instance(): the instance's settings, as postconf -x reports them. */
function loadInstance(cfg: Config, ip: Instance): Instance {
  const postconf = `${cfg.command_directory}/postconf`;
  const result = spawnSync(postconf, ['-xc', ip.config_dir, 'queue_directory', 'data_directory',
    'multi_instance_name', 'multi_instance_group', 'multi_instance_enable'],
  { argv0: postconf, stdio: ['inherit', 'pipe', 'inherit'], encoding: 'latin1' });
  if (result.error !== undefined) msg.fatal(`Cannot parse ${ip.config_dir}/main.cf file: ${strerror(result.error)}`);
  let count = 0;
  const lines = result.stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const nv = splitNameval(line);
    if (typeof nv === 'string') msg.fatal(`Invalid ${ip.config_dir}/main.cf parameter: ${line}`);
    const { name, value } = nv;
    if (name === 'queue_directory') {
      count++;
      ip.queue_dir = value;
    } else if (name === 'data_directory') {
      count++;
      ip.data_dir = value;
    } else if (name === 'multi_instance_name') {
      count++;
      ip.name = saveName(value);
    } else if (name === 'multi_instance_group') {
      count++;
      ip.gname = saveName(value);
    } else if (name === 'multi_instance_enable') {
      count++;
      if (/^yes$/i.test(value)) ip.enabled = true;
      else if (/^no$/i.test(value)) ip.enabled = false;
      else msg.fatal(`Unexpected ${ip.config_dir}/main.cf entry: multi_instance_enable = ${value}`);
    }
  }
  // XXX Like Postfix: one damaged secondary main.cf stops everything.
  if (count !== 5) msg.fatal(`Failed to obtain all required ${ip.config_dir}/main.cf parameters`);
  if (result.status !== 0) msg.fatal(`Cannot parse ${ip.config_dir}/main.cf file`);
  return ip;
}

/** Postfix: load_all_instances(). */
function loadAllInstances(cfg: Config): void {
  const secondary = splitAny(cfg.multi_instance_directories, CHARS_COMMA_SP);
  const primary = createPrimaryInstance(cfg);
  if (secondary.length === 0) primary.enabled = true; // single-instance mode
  insertInstance(primary);
  for (const dir of secondary) insertInstance(loadInstance(cfg, { config_dir: dir, enabled: false, primary: false }));
}

function checkSetenv(name: string, value: string): void {
  try {
    process.env[name] = value;
  } catch (err) {
    msg.fatal(`setenv: ${strerror(err)}`);
  }
}

/** Postfix: prepend_command_path(). */
function prependCommandPath(cfg: Config, env: NodeJS.ProcessEnv): void {
  const path = env === process.env ? safeGetenv('PATH') : env.PATH;
  env.PATH = `${cfg.command_directory}:${path ? path : ROOT_PATH}`;
}

/** Postfix: check_shared_dir_status(). */
function checkSharedDirStatus(cfg: Config): void {
  for (const name of SHARED_DIRS) {
    const value = cfg[name];
    if (!value.startsWith('/')) continue; // "no" or another special value
    let isDir: boolean;
    try {
      isDir = statSync(value).isDirectory();
    } catch (err) {
      return msg.fatal(`${name} = '${value}': directory not found: ${strerror(err)}`);
    }
    if (!isDir) msg.fatal(`${name} = '${value}' is not a directory`);
    // meta_directory usually shares a place with another directory.
    if (name === 'meta_directory') continue;
    registerClaim(cfg.config_directory, name, value);
  }
}

const SAFE_PUNCT = '!@%-_=+:./';
const checkSafeName = (s: string) => s !== '' && [...s].every((c) => /[A-Za-z0-9]/.test(c) || SAFE_PUNCT.includes(c));

/** Postfix: check_name_assignments(). */
function checkNameAssignments(assignment: Assignment): void {
  const name = assignment.name;
  if (name) {
    if (!checkSafeName(name)) msg.fatal(`Unsafe characters in new instance name: '${name}'`);
    if (name.includes('/')) msg.fatal(`Illegal '/' character in new instance name: '${name}'`);
    if (name !== '-' && !name.startsWith(NAME_PREFIX)) msg.fatal(`New instance name must start with '${NAME_PREFIX}'`);
  }
  if (assignment.gname && !checkSafeName(assignment.gname)) msg.fatal(`Unsafe characters in '-G ${assignment.gname}'`);
}

/** Postfix: do_name_assignments(); returns export flags. */
function doNameAssignments(target: Instance, assignment: Assignment): number {
  let flags = 0;
  if (assignment.name !== undefined && assignment.name !== (target.name ?? '')) {
    registerClaim(target.config_dir, 'multi_instance_name', assignment.name);
    target.name = saveName(assignment.name);
    flags |= EXP_FLAG_MULTI_NAME;
  }
  if (assignment.gname !== undefined && assignment.gname !== (target.gname ?? '')) {
    target.gname = saveName(assignment.gname);
    flags |= EXP_FLAG_MULTI_GROUP;
  }
  return flags;
}

/** Postfix: make_private_path(): the primary's path with its last component replaced by the name. */
function makePrivatePath(paramName: string, primaryValue: string, assignment: Assignment): string {
  if (!assignment.name) msg.fatal(`Missing ${paramName} parameter value`);
  if (!primaryValue.startsWith('/')) {
    msg.fatal(`Invalid default ${paramName} parameter value: '${primaryValue}': specify an absolute pathname`);
  }
  // The same steps on a C string: '\0' ends the text, wherever it is stored.
  const base = [...primaryValue, '\0'];
  const cstr = () => base.slice(0, base.indexOf('\0')).join('');
  let end = cstr().lastIndexOf('/');
  if (end >= 0) {
    if (base[end + 1] === '\0') { // trailing slashes (the last one stays, as in Postfix)
      while (--end > 0 && base[end] === '/') base[end] = '\0';
      end = cstr().lastIndexOf('/');
    }
    while (end > 0 && base[end] === '/') base[end--] = '\0'; // drop the last component
  }
  const text = cstr();
  return `${text.length > 1 ? text : ''}/${assignment.name}`;
}

/** Postfix: assign_new_parameter(). */
function assignNewParameter(ip: Instance, editCmd: number, arg: string): void {
  const nv = splitNameval(arg);
  if (typeof nv === 'string') msg.fatal(`Malformed parameter setting '${arg}'`);
  const { name } = nv;
  let target: 'config_dir' | 'queue_dir' | 'data_dir' | undefined;
  if (name === 'config_directory') target = 'config_dir';
  else if (editCmd !== EDIT_CMD_IMPORT && name === 'queue_directory') target = 'queue_dir';
  else if (editCmd !== EDIT_CMD_IMPORT && name === 'data_directory') target = 'data_dir';
  if (target === undefined) msg.fatal(`Parameter '${name}' not valid with action ${editName(editCmd)}`);
  let value = nv.value;
  if (!value.startsWith('/')) msg.fatal(`Parameter setting '${name}' is not an absolute path`);
  // Tolerate trailing "/" from file name completion.
  let end = value.length - 1;
  while (end > 0 && value[end] === '/') end--;
  value = value.slice(0, end + 1);
  if (end === 0) msg.fatal(`Parameter setting '${name}' is the root directory`);
  ip[target] = value;
}

/** Postfix: assign_new_parameters(). */
function assignNewParameters(cfg: Config, ip: Instance, editCmd: number, args: readonly string[], assignment: Assignment): void {
  for (const arg of args) assignNewParameter(ip, editCmd, arg);
  if (ip.config_dir === '') ip.config_dir = makePrivatePath('config_directory', cfg.config_directory, assignment);
  const owner = claims.get(ip.config_dir);
  if (owner !== undefined) {
    msg.fatal(`new config_directory=${ip.config_dir} is already in use by instance ${owner}=${ip.config_dir}`);
  }
  if (editCmd !== EDIT_CMD_IMPORT) {
    ip.queue_dir ??= makePrivatePath('queue_directory', cfg.queue_directory, assignment);
    ip.data_dir ??= makePrivatePath('data_directory', cfg.data_directory, assignment);
  } else {
    loadInstance(cfg, ip);
  }
}

/** Postfix: export_helper_environment(). */
function exportHelperEnvironment(cfg: Config, target: Instance, flags: number): void {
  // The same behavior by hand as at boot time: scripts honor environment overrides.
  cleanEnv(mailParmSplit('import_environment', cfg.import_environment));
  prependCommandPath(cfg, process.env);
  checkSetenv(CONF_ENV_PATH, cfg.config_directory); // Postfix programs target the primary
  for (const name of SHARED_DIRS) checkSetenv(name, cfg[name]);
  checkSetenv('config_directory', target.config_dir);
  checkSetenv('queue_directory', target.queue_dir ?? '');
  checkSetenv('data_directory', target.data_dir ?? '');
  if (flags & EXP_FLAG_MULTI_DIRS) {
    checkSetenv('multi_instance_directories', instances.filter((ip) => !ip.primary).map((ip) => ip.config_dir).join(' '));
  }
  if (flags & EXP_FLAG_MULTI_NAME) checkSetenv('multi_instance_name', target.name ? target.name : '-');
  if (flags & EXP_FLAG_MULTI_GROUP) checkSetenv('multi_instance_group', target.gname ? target.gname : '-');
}

/** Postfix: select_existing_instance(). */
function selectExistingInstance(selection: Selection, unlink: boolean): Instance {
  if (selection.type !== 'name') return msg.fatal("Select an instance via '-i name'");
  const index = instances.findIndex((ip) => matches(ip, selection));
  if (index < 0) return msg.fatal(`No instance named ${selection.name}`);
  const selected = instances[index]!;
  if (unlink) {
    if (index === 0) msg.fatal('Cannot remove the primary instance');
    if (selected.enabled) msg.fatal('Cannot remove enabled instances');
    instances.splice(index, 1);
  }
  return selected;
}

/** Postfix: manage(): change the instance list, through the helper script. */
function manage(cfg: Config, editCmd: number, args: readonly string[], selection: Selection, assignment: Assignment): never {
  let target: Instance;
  let flags = 0;
  switch (editCmd) {
    case EDIT_CMD_INIT:
      target = createPrimaryInstance(cfg);
      break;
    case EDIT_CMD_CREATE:
    case EDIT_CMD_IMPORT:
      loadAllInstances(cfg);
      target = { config_dir: '', enabled: false, primary: false };
      checkNameAssignments(assignment);
      assignNewParameters(cfg, target, editCmd, args, assignment);
      flags |= doNameAssignments(target, assignment) | EXP_FLAG_MULTI_DIRS;
      insertInstance(target, selection);
      break;
    case EDIT_CMD_ASSIGN:
      loadAllInstances(cfg);
      target = selectExistingInstance(selection, false);
      checkNameAssignments(assignment);
      flags |= doNameAssignments(target, assignment);
      if (flags === 0) process.exit(0);
      break;
    case EDIT_CMD_DESTROY:
    case EDIT_CMD_DEPORT:
      loadAllInstances(cfg);
      target = selectExistingInstance(selection, true);
      flags |= EXP_FLAG_MULTI_DIRS;
      break;
    default:
      loadAllInstances(cfg);
      target = selectExistingInstance(selection, false);
      break;
  }
  exportHelperEnvironment(cfg, target, flags);
  const helper = `${cfg.daemon_directory}/postmulti-script`;
  const errno = execvp(helper, [helper, '-e', editName(editCmd)]);
  return msg.fatal(`${helper}: ${strerror(errno)}`);
}

/** Postfix: run_user_command(): run argv for one instance; returns its exit status. */
function runUserCommand(cfg: Config, ip: Instance, iterCmd: number, iterFlags: number, argv: string[]): number {
  const env: NodeJS.ProcessEnv = { ...process.env, [CONF_ENV_PATH]: ip.config_dir };
  if (iterCmd !== ITER_CMD_POSTFIX) {
    env.daemon_directory = cfg.daemon_directory;
    env.command_directory = cfg.command_directory;
    env.config_directory = ip.config_dir;
    env.queue_directory = ip.queue_dir ?? '';
    env.data_directory = ip.data_dir ?? '';
    env.multi_instance_name = ip.name ?? '';
    env.multi_instance_group = ip.gname ?? '';
    env.multi_instance_enable = ip.enabled ? 'yes' : 'no';
    prependCommandPath(cfg, env);
  }
  const args = [...argv];
  // "postfix -- start" becomes "postfix -- check" in a disabled instance.
  if (iterCmd === ITER_CMD_POSTFIX && (iterFlags & ITER_FLAG_CHECK_DISABLED) && !ip.enabled) args[2] = 'check';
  const result = spawnSync(args[0]!, args.slice(1), { argv0: args[0], env, stdio: 'inherit' });
  if (result.error !== undefined) {
    // What the child process would have reported before it exited.
    msgPrintf(MSG_FATAL, `execvp ${args[0]}: ${strerror(result.error)}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    return 1;
  }
  return result.status ?? 1;
}

/** Postfix: iterate_command(). */
function iterateCommand(cfg: Config, iterCmd: number, iterFlags: number, argv: string[], selection: Selection): number {
  let status = 0;
  let matched = false;
  const order = iterFlags & ITER_FLAG_REVERSE ? [...instances].reverse() : instances;
  for (const ip of order) {
    if ((iterFlags & ITER_FLAG_SKIP_DISABLED) && !ip.enabled) continue;
    if (!matches(ip, selection)) continue;
    matched = true;
    if (runUserCommand(cfg, ip, iterCmd, iterFlags, argv) !== 0) status = 1;
  }
  if (!matched) msg.fatal('No matching instances');
  return status;
}

const wordInList = (list: string, word: string) => splitAny(list, CHARS_COMMA_SP).includes(word);

/** Postfix: iterate_postfix_command(). */
function iteratePostfixCommand(cfg: Config, args: readonly string[], selection: Selection): number {
  const command = args[0]!;
  let iterFlags = 0;
  if (wordInList(cfg.postmulti_start_commands, command)) iterFlags = ITER_FLAG_CHECK_DISABLED;
  else if (wordInList(cfg.postmulti_stop_commands, command)) iterFlags = ITER_FLAG_SKIP_DISABLED | ITER_FLAG_REVERSE;
  else if (wordInList(cfg.postmulti_control_commands, command)) iterFlags = ITER_FLAG_SKIP_DISABLED;
  return iterateCommand(cfg, ITER_CMD_POSTFIX, iterFlags, [`${cfg.command_directory}/postfix`, '--', ...args], selection);
}

/** Postfix: list_instances(). */
function listInstances(iterFlags: number, selection: Selection): void {
  const order = iterFlags & ITER_FLAG_REVERSE ? [...instances].reverse() : instances;
  const pad = (s: string, n: number) => s.padEnd(n);
  for (const ip of order) {
    if (!matches(ip, selection)) continue;
    vstreamOut.write(`${pad(ip.name ?? '-', 15)} ${pad(ip.gname ?? '-', 15)} ${pad(ip.enabled ? 'y' : 'n', 9)} ${ip.config_dir}\n`);
  }
  try {
    vstreamOut.flush();
  } catch (err) {
    msg.fatal(`error writing output: ${strerror(err)}`);
  }
}

/** Postfix: iterate(). */
function iterate(cfg: Config, iterCmd: number, iterFlags: number, args: string[], selection: Selection): never {
  if (selection.type === 'none') selection = { type: 'all' };
  loadAllInstances(cfg);
  let status: number;
  switch (iterCmd) {
    case ITER_CMD_POSTFIX:
      status = iteratePostfixCommand(cfg, args, selection);
      break;
    case ITER_CMD_LIST:
      listInstances(iterFlags, selection);
      status = 0;
      break;
    default:
      status = iterateCommand(cfg, iterCmd, iterFlags, args, selection);
      break;
  }
  process.exit(status);
}

function usage(progname: string): never {
  return msg.fatal('Usage:'
    + `${progname} -l [-v] [-a] [-g group] [-i instance] | `
    + `${progname} -p [-v] [-a] [-g group] [-i instance] command... | `
    + `${progname} -x [-v] [-a] [-i name] [-g group] command... | `
    + `${progname} -e action [-v] [-a] [-i name] [-g group] [-I name] `
    + '[-G group] [param=value ...]');
}

export function main(argv: string[]): void {
  process.umask(0o022);
  argv[0] = basename(argv[0]!) || argv[0]!;
  if (isatty(2)) msgVstreamInit(argv[0], 2);
  maillogClientInit(argv[0], MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);

  // main.cf first, for better logging; no option changes how it is read.
  mailConfRead();
  mailParamsInit();
  const values = loadMainCf(['config_directory', 'queue_directory', 'data_directory', 'command_directory',
    'daemon_directory', 'meta_directory', 'shlib_directory', 'import_environment', 'multi_instance_directories',
    'multi_instance_name', 'multi_instance_group', 'postmulti_start_commands', 'postmulti_stop_commands',
    'postmulti_control_commands']);
  const cfg: Config = { ...values, multi_instance_enable: mailConfBool('multi_instance_enable') };
  maillogClientInit(argv[0], MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  const configDir = process.env[CONF_ENV_PATH];
  if (configDir !== undefined && configDir !== DEF_CONFIG_DIR) {
    msg.fatal(`Non-default configuration directory: ${CONF_ENV_PATH}=${configDir}`);
  }

  let selection: Selection = { type: 'none' };
  let selectCount = 0;
  let modeCount = 0;
  let mode = 0;
  let iterFlags = 0;
  const assignment: Assignment = {};
  const setMode = (code: number) => {
    if (mode !== code) modeCount++;
    mode = code;
  };
  const opts = new Getopt(argv, '+ae:g:i:G:I:lpRvx');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    const arg = opts.optarg!;
    switch (ch) {
      case 'a':
        if (selection.type !== 'all') selectCount++;
        selection = { type: 'all' };
        break;
      case 'e': {
        const code = EDIT_COMMANDS.get(arg);
        if (code === undefined) {
          msg.fatal(`Invalid '-e' edit action '${arg}'. Specify 'create', 'destroy', 'import', 'deport', `
            + "'enable', 'disable', 'assign' or 'init'");
        }
        setMode(code);
        break;
      }
      case 'g':
        selectCount++;
        selection = { type: 'group', name: arg };
        break;
      case 'i':
        selectCount++;
        selection = { type: 'name', name: arg };
        break;
      case 'G':
        if (assignment.gname !== undefined) msg.fatal("Specify at most one '-G' option");
        assignment.gname = arg === '-' ? '' : arg;
        break;
      case 'I':
        if (assignment.name !== undefined) msg.fatal("Specify at most one '-I' option");
        assignment.name = arg === '-' ? '' : arg;
        break;
      case 'l':
        setMode(ITER_CMD_LIST);
        break;
      case 'p':
        setMode(ITER_CMD_POSTFIX);
        break;
      case 'R':
        iterFlags ^= ITER_FLAG_REVERSE;
        break;
      case 'v':
        msg.verbose++;
        checkSetenv(CONF_ENV_VERB, '');
        break;
      case 'x':
        setMode(ITER_CMD_GENERIC);
        break;
      default:
        usage(argv[0]);
    }
  }
  const args = argv.slice(opts.optind);

  // Missing arguments, or arguments in the wrong context. ("Specity" is Postfix's spelling.)
  if (selectCount > 1) msg.fatal("Specity no more than one of '-a', '-g', '-i'");
  if (modeCount !== 1) msg.fatal("Specify exactly one of '-e', '-l', '-p', '-x'");
  if (mode === ITER_CMD_LIST && args.length > 0) msg.fatal("Command not allowed with '-l'");
  if ((mode === ITER_CMD_POSTFIX || mode === ITER_CMD_GENERIC) && args.length === 0) {
    msg.fatal("Command required with '-p' or '-x' option");
  }
  if ((mode === ITER_CMD_POSTFIX || (mode & EDIT_CMD_MASK_ALL)) && iterFlags !== 0) {
    msg.fatal("The '-p' and '-e' options preclude the use of '-R'");
  }
  if ((mode & EDIT_CMD_MASK_ASSIGN) === 0 && (assignment.name !== undefined || assignment.gname !== undefined)) {
    if ((mode & EDIT_CMD_MASK_ALL) === 0) msg.fatal("Cannot assign instance name or group without '-e assign'");
    msg.fatal(`Cannot assign instance name or group with '-e ${editName(mode)}'`);
  }
  if (mode & EDIT_CMD_MASK_ALL) {
    if (mode === EDIT_CMD_ASSIGN && assignment.name === undefined && assignment.gname === undefined) {
      msg.fatal(`Specify new instance name or group with '-e ${editName(mode)}'`);
    }
    if ((mode & ~EDIT_CMD_MASK_ADD) !== 0 && args.length > 0) {
      msg.fatal(`Parameter overrides not valid with '-e ${editName(mode)}'`);
    }
  }

  checkSharedDirStatus(cfg);
  if (mode & ITER_CMD_MASK_ALL) iterate(cfg, mode, iterFlags, args, selection);
  manage(cfg, mode, args, selection, assignment);
}

if (isMainModule(import.meta.url)) main(programArgv());
