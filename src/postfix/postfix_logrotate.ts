/*
 * postfix_logrotate - "postfix logrotate": rename maillog_file with a date suffix, make
 * postlogd reopen it, and compress the old file. Counterpart: the logrotate command of
 * postfix/conf/postfix-script. Like the script, it runs date(1), mv(1) and the
 * maillog_file_compressor, and reports their complaints in one log record.
 */
import { spawnSync } from 'node:child_process';
import { mailConfStr } from '../global/mail_conf.js';
import { fatal, killWords, masterIsIdle, masterPidWords, postconfComplaints, sleep, type ScriptContext } from './postfix_run.js';

/** Run a program with its output collected; returns [status, stdout, stderr]. */
function collect(path: string, args: readonly string[]): [number, string, string] {
  const result = spawnSync(path, args, { argv0: path, stdio: ['inherit', 'pipe', 'pipe'], encoding: 'latin1' });
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return [code === 'ENOENT' ? 127 : 126, '', `sh: 1: ${path}: ${code === 'ENOENT' ? 'not found' : 'Permission denied'}\n`];
  }
  return [result.status ?? 128, result.stdout, result.stderr];
}

export function logrotate(ctx: ScriptContext): number {
  const values: Record<string, string> = {};
  for (const name of ['maillog_file', 'maillog_file_compressor', 'maillog_file_rotate_suffix']) {
    postconfComplaints(`${ctx.env.command_directory}/postconf`, ctx.env.config_directory);
    const value = mailConfStr(name);
    if (value === '') return fatal(`empty '${name}' parameter value - logfile rotation failed`);
    values[name] = value;
  }
  const logFile = values.maillog_file!;
  if (logFile.startsWith('/dev/')) return fatal(`not rotating '${logFile}'`);

  // The steps stop at the first failure; everything they print becomes the error text.
  let output = '';
  const rotate = (): boolean => {
    const [dateStatus, suffix, dateErr] = collect('date', [`+${values.maillog_file_rotate_suffix}`]);
    output += dateErr;
    if (dateStatus !== 0) return false;
    const rotated = `${logFile}.${suffix.replace(/\n+$/, '')}`;
    const [mvStatus, mvOut, mvErr] = collect('mv', [logFile, rotated]);
    output += mvOut + mvErr;
    if (mvStatus !== 0) return false;
    if (!masterIsIdle(ctx) && killWords('SIGHUP', masterPidWords()) !== 0) return false;
    sleep(1);
    const [zipStatus, zipOut, zipErr] = collect(values.maillog_file_compressor!, [rotated]);
    output += zipOut + zipErr;
    return zipStatus === 0;
  };
  if (!rotate()) return fatal(`logfile '${logFile}' rotation failed: ${output.replace(/\n+$/, '')}`);
  return 0;
}
