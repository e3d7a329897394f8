/*
 * mail_params_init - the checks and settings every daemon makes once main.cf is read.
 * Counterpart: mail_params_init() in postfix/src/global/mail_params.c (the parameter table
 * itself is mail_params.ts). Covers the syslog facility, SMTPUTF8, the user and group
 * checks with their exact diagnostics, process_id and MAIL_LOGTAG. XXX Host name syntax
 * checks, known_tcp_ports and inet_protocols are left to the programs that use them.
 */
import { msg } from '../util/msg.js';
import { msgSyslogSetFacility } from '../util/msg_syslog.js';
import { setUtilUtf8Enable } from '../util/printable.js';
import { getgrgid, getgrnam, getpwnam, getpwuid } from '../util/mypwd.js';
import { safeGetenv } from '../util/safe.js';
import { CONF_ENV_LOGTAG, MAIN_CONF_FILE, loadMainCf, mailConfUpdate } from './mail_conf.js';
import { compatLevelFromString } from './compat_level.js';
import { setMailTaskSyslogName } from './mail_task.js';

/** What mail_params_init() leaves in Postfix's var_ globals that daemons use. */
export interface MailParams {
  config_directory: string;
  queue_directory: string;
  daemon_directory: string;
  mail_owner: string;
  owner_uid: number;
  owner_gid: number;
  default_privs: string;
  default_uid: number;
  default_gid: number;
  setgid_group: string;
  sgid_gid: number;
  syslog_name: string;
  daemon_timeout: number;
  ipc_timeout: number;
  in_flow_delay: number;
  pid: number;
}

const GENERIC = ['compatibility_level', 'config_directory', 'queue_directory', 'daemon_directory', 'mail_owner',
  'default_privs', 'setgid_group', 'syslog_facility', 'syslog_name', 'smtputf8_enable', 'daemon_timeout',
  'ipc_timeout', 'in_flow_delay'] as const;

/** Postfix: mail_params_init(). Fatal errors name the main.cf file as Postfix does. */
export function mailParamsInit(): MailParams {
  // The compatibility level first: the defaults of other parameters depend on it.
  compatLevelFromString(loadMainCf(['compatibility_level']).compatibility_level, msg.fatal);
  const cfg = loadMainCf(GENERIC);
  const where = `file ${cfg.config_directory}/${MAIN_CONF_FILE}`;
  if (!msgSyslogSetFacility(cfg.syslog_facility)) {
    msg.fatal(`${where}: parameter syslog_facility: unrecognized value: ${cfg.syslog_facility}`);
  }
  setUtilUtf8Enable(cfg.smtputf8_enable);

  // Postfix: check_default_privs(), check_mail_owner(), check_sgid_group(), check_overlap().
  const user = (param: string, name: string) => {
    const pwd = getpwnam(name) ?? msg.fatal(`${where}: parameter ${param}: unknown user name value: ${name}`);
    if (pwd.pw_uid === 0) msg.fatal(`${where}: parameter ${param}: user ${name} has privileged user ID`);
    if (pwd.pw_gid === 0) msg.fatal(`${where}: parameter ${param}: user ${name} has privileged group ID`);
    return pwd;
  };
  const privs = user('default_privs', cfg.default_privs);
  const owner = user('mail_owner', cfg.mail_owner);
  const sameUid = getpwuid(owner.pw_uid);
  if (sameUid !== null && sameUid.pw_name !== cfg.mail_owner) {
    msg.fatal(`${where}: parameter mail_owner: user ${cfg.mail_owner} has same user ID as ${sameUid.pw_name}`);
  }
  const sgid = (getgrnam(cfg.setgid_group)
    ?? msg.fatal(`${where}: parameter setgid_group: unknown group name: ${cfg.setgid_group}`)).gr_gid;
  if (sgid === 0) msg.fatal(`${where}: parameter setgid_group: group ${cfg.setgid_group} has privileged group ID`);
  const sameGid = getgrgid(sgid);
  if (sameGid !== null && sameGid.gr_name !== cfg.setgid_group) {
    msg.fatal(`${where}: parameter setgid_group: group ${cfg.setgid_group} has same group ID as ${sameGid.gr_name}`);
  }
  if (cfg.default_privs === cfg.mail_owner) {
    msg.fatal(`${where}: parameters default_privs and mail_owner specify the same user ${cfg.default_privs}`);
  }
  if (privs.pw_uid === owner.pw_uid) {
    msg.fatal(`${where}: parameters default_privs and mail_owner: users ${cfg.default_privs} and ${cfg.mail_owner} have the same user ID: ${owner.pw_uid}`);
  }
  if (privs.pw_gid === owner.pw_gid) {
    msg.fatal(`${where}: parameters default_privs and mail_owner: users ${cfg.default_privs} and ${cfg.mail_owner} have the same group ID: ${owner.pw_gid}`);
  }
  if (privs.pw_gid === sgid) {
    msg.fatal(`${where}: parameters default_privs and setgid_group: user ${cfg.default_privs} and group ${cfg.setgid_group} have the same group ID: ${sgid}`);
  }
  if (owner.pw_gid === sgid) {
    msg.fatal(`${where}: parameters mail_owner and setgid_group: user ${cfg.mail_owner} and group ${cfg.setgid_group} have the same group ID: ${sgid}`);
  }

  // The process id cannot come from main.cf.
  mailConfUpdate('process_id', String(process.pid));
  // Children inherit the syslog name, so that they log right before they read main.cf.
  setMailTaskSyslogName(cfg.syslog_name);
  if (safeGetenv(CONF_ENV_LOGTAG) !== cfg.syslog_name) process.env[CONF_ENV_LOGTAG] = cfg.syslog_name;
  return {
    config_directory: cfg.config_directory, queue_directory: cfg.queue_directory,
    daemon_directory: cfg.daemon_directory, mail_owner: cfg.mail_owner, owner_uid: owner.pw_uid,
    owner_gid: owner.pw_gid, default_privs: cfg.default_privs, default_uid: privs.pw_uid, default_gid: privs.pw_gid,
    setgid_group: cfg.setgid_group, sgid_gid: sgid, syslog_name: cfg.syslog_name,
    daemon_timeout: cfg.daemon_timeout, ipc_timeout: cfg.ipc_timeout, in_flow_delay: cfg.in_flow_delay,
    pid: process.pid,
  };
}
