#!/usr/bin/env node
/*
 * NAME
 *	postfix - Postfix control program
 * SYNOPSIS
 *	postfix [-Dv] [-c config_dir] command
 * DESCRIPTION
 *	The postfix command starts and stops the mail system, checks and repairs its files
 *	and permissions, and runs the upgrade procedures. Only the super-user may run it.
 *
 *	It reads main.cf, puts the installation parameters into the environment of a
 *	cleaned-up process, and hands the command to $daemon_directory/postfix-script, which
 *	does the work. When multi_instance_directories is not empty and no configuration
 *	directory was named (by -c or MAIL_CONFIG), the command goes to the
 *	multi_instance_wrapper instead (normally postmulti(1)), which runs it for every
 *	instance.
 *
 *	Commands:
 * .IP "check"
 *	Check the installation: create missing queue directories, verify the queue file
 *	names, and warn about files with a wrong owner or mode.
 * .IP "start, start-fg"
 *	Check the installation and start the master(8) daemon, in the background or (start-fg)
 *	in the foreground, where it stays attached to the terminal or service manager.
 * .IP "stop, abort"
 *	Stop the mail system in an orderly manner (waiting up to five seconds, then killing
 *	the processes), or at once.
 * .IP "quick-stop, drain"
 *	Stop the mail system and skip the checks on the next start; or kill the master
 *	daemon only, letting running deliveries finish.
 * .IP "reload"
 *	Make the running mail system read its configuration files again.
 * .IP "flush"
 *	Attempt to deliver all queued mail (postqueue -f).
 * .IP "status"
 *	Report whether the mail system is running, with the process ID of master(8).
 * .IP "set-permissions [name=value ...]"
 *	Set the owner and mode of every file and directory that postfix-files lists.
 * .IP "upgrade-configuration [name=value ...]"
 *	Add master.cf services and main.cf settings that newer versions need.
 * .IP "logrotate"
 *	Rotate and compress maillog_file.
 * .IP "tls subcommand"
 *	Manage TLS keys and settings (see postfix-tls(1)).
 * .PP
 *	Options:
 * .IP "-c config_dir"
 *	Read main.cf from config_dir, an absolute path, and run only that instance.
 * .IP "-D"
 *	With start: run the daemons under a debugger (debugger_command).
 * .IP "-v"
 *	Verbose logging.
 * ENVIRONMENT
 *	MAIL_CONFIG names the configuration directory; MAIL_DEBUG and MAIL_VERBOSE are set
 *	by -D and -v. The commands run with PATH=/bin:/usr/bin:/sbin:/usr/sbin and the
 *	installation parameters (command_directory, daemon_directory, data_directory,
 *	meta_directory, queue_directory, config_directory, shlib_directory, mail_owner,
 *	setgid_group, sendmail_path, mailq_path, newaliases_path, manpage_directory,
 *	sample_directory, readme_directory, html_directory) as environment variables.
 * DIAGNOSTICS
 *	Problems are reported to the standard error stream when it is a terminal, and to the
 *	mail log.
 * CONFIGURATION PARAMETERS
 *	import_environment, compatibility_level, multi_instance_directories,
 *	multi_instance_wrapper, syslog_name, and the installation parameters above.
 * SEE ALSO
 *	master(8), postconf(1), postsuper(1), postmulti(1), postlog(1)
 */
import { chdir } from 'node:process';
import { basename } from 'node:path';
import { isatty } from 'node:tty';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { unsafe } from '../util/safe.js';
import { cleanEnv } from '../util/clean_env.js';
import { strerror } from '../util/strerror.js';
import { execvp } from '../util/sys_exec.js';
import { CHARS_SPACE, splitAny } from '../util/stringops.js';
import { CONF_ENV_DEBUG, CONF_ENV_PATH, CONF_ENV_VERB, loadMainCf, mailConfRead } from '../global/mail_conf.js';
import { mailParamsInit } from '../global/mail_params_init.js';
import { mailParmSplit } from '../global/mail_parm_split.js';
import { compatLevelFromString } from '../global/compat_level.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';

/** Postfix: ROOT_PATH in sys_defs.h (Linux). */
export const ROOT_PATH = '/bin:/usr/bin:/sbin:/usr/sbin';
const LAST_COMPAT_LEVEL = '3.6';

/** The parameters that the scripts find in their environment, in the order Postfix sets them. */
const EXPORTED = [
  'command_directory', 'daemon_directory', 'data_directory', 'meta_directory', 'queue_directory',
  'config_directory', 'shlib_directory', 'mail_owner', 'setgid_group', 'sendmail_path',
  'mailq_path', 'newaliases_path', 'manpage_directory', 'sample_directory', 'readme_directory',
  'html_directory',
] as const;

/** Postfix: check_setenv(). */
function checkSetenv(name: string, value: string): void {
  try {
    process.env[name] = value;
  } catch (err) {
    msg.fatal(`setenv: ${strerror(err)}`);
  }
}

export function main(argv: string[]): void {
  process.umask(0o022);
  argv[0] = basename(argv[0]!) || argv[0]!;
  if (isatty(2)) msgVstreamInit(argv[0], 2);
  maillogClientInit(argv[0], MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);

  // It takes privileges to give up privileges: only root runs the mail system.
  if (process.getuid!() !== 0) {
    msg.error('to submit mail, use the Postfix sendmail command');
    msg.fatal('the postfix command is reserved for the superuser');
  }
  if (unsafe()) msg.fatal('the postfix command must not run as a set-uid process');

  const opts = new Getopt(argv, '+c:Dv');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'c':
        if (!opts.optarg!.startsWith('/')) msg.fatal('-c requires absolute pathname');
        checkSetenv(CONF_ENV_PATH, opts.optarg!);
        break;
      case 'D':
        checkSetenv(CONF_ENV_DEBUG, '');
        break;
      case 'v':
        msg.verbose++;
        checkSetenv(CONF_ENV_VERB, '');
        break;
      default:
        msg.fatal(`usage: ${argv[0]} [-c config_dir] [-Dv] command`);
    }
  }
  const forceSingleInstance = process.env[CONF_ENV_PATH] !== undefined;

  mailConfRead();
  mailParamsInit();
  const cfg = loadMainCf([...EXPORTED, 'import_environment', 'compatibility_level',
    'multi_instance_directories', 'multi_instance_wrapper']);
  const compatLevel = compatLevelFromString(cfg.compatibility_level, msg.fatal);

  // The same environment at boot time and by hand: some scripts honor environment overrides.
  cleanEnv(mailParmSplit('import_environment', cfg.import_environment));
  maillogClientInit(argv[0], MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);

  if (compatLevel < compatLevelFromString(LAST_COMPAT_LEVEL, msg.panic)) {
    msg.info('Postfix is using backwards-compatible default settings');
    msg.info('See http://www.postfix.org/COMPATIBILITY_README.html for details');
    msg.info(`To disable backwards compatibility use "postconf compatibility_level=${LAST_COMPAT_LEVEL}" and "postfix reload"`);
  }
  checkSetenv('PATH', ROOT_PATH);
  checkSetenv(CONF_ENV_PATH, cfg.config_directory);
  for (const name of EXPORTED) checkSetenv(name, cfg[name]);

  // These must exist; the scripts run with the queue directory as current directory.
  for (const dir of [cfg.command_directory, cfg.daemon_directory, cfg.queue_directory]) {
    try {
      chdir(dir);
    } catch (err) {
      msg.fatal(`chdir(${dir}): ${strerror(err)}`);
    }
  }

  const command = argv.slice(opts.optind);
  if (forceSingleInstance || splitAny(cfg.multi_instance_directories).length === 0) {
    const script = `${cfg.daemon_directory}/postfix-script`;
    const errno = execvp(script, [script, ...command]);
    msg.fatal(`${script}: ${strerror(errno)}`);
  }
  if (cfg.multi_instance_wrapper === '') {
    msg.fatal('multi-instance support is requested, but multi_instance_wrapper is empty');
  }
  const wrapper = [...splitAny(cfg.multi_instance_wrapper, CHARS_SPACE), ...command];
  const errno = execvp(wrapper[0]!, wrapper);
  msg.fatal(`${wrapper[0]}: ${strerror(errno)}`);
}

if (isMainModule(import.meta.url)) main(programArgv());
