/*
 * mail_params_init - the checks and settings every daemon makes once main.cf is read.
 * Counterpart: mail_params_init() in postfix/src/global/mail_params.c (the parameter table
 * itself is mail_params.ts): runs the checks of mail_params_check.ts, then sets SMTPUTF8,
 * process_id and MAIL_LOGTAG and returns the values daemons keep.
 */
import { setUtilUtf8Enable } from '../util/printable.js';
import { safeGetenv } from '../util/safe.js';
import { CONF_ENV_LOGTAG, loadMainCf, mailConfUpdate } from './mail_conf.js';
import { mailParamsCheck } from './mail_params_check.js';
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

/**
 * Postfix: mail_params_init(). The checks (mail_params_check.ts) come first, in Postfix's
 * order and with its fatal messages; then the settings that every daemon keeps.
 */
export function mailParamsInit(): MailParams {
  const ids = mailParamsCheck();
  const cfg = loadMainCf(GENERIC);
  setUtilUtf8Enable(cfg.smtputf8_enable);

  // The process id cannot come from main.cf.
  mailConfUpdate('process_id', String(process.pid));
  // Children inherit the syslog name, so that they log right before they read main.cf.
  setMailTaskSyslogName(cfg.syslog_name);
  if (safeGetenv(CONF_ENV_LOGTAG) !== cfg.syslog_name) process.env[CONF_ENV_LOGTAG] = cfg.syslog_name;
  return {
    config_directory: cfg.config_directory, queue_directory: cfg.queue_directory,
    daemon_directory: cfg.daemon_directory, mail_owner: cfg.mail_owner, owner_uid: ids.owner_uid,
    owner_gid: ids.owner_gid, default_privs: cfg.default_privs, default_uid: ids.default_uid, default_gid: ids.default_gid,
    setgid_group: cfg.setgid_group, sgid_gid: ids.sgid_gid, syslog_name: cfg.syslog_name,
    daemon_timeout: cfg.daemon_timeout, ipc_timeout: cfg.ipc_timeout, in_flow_delay: cfg.in_flow_delay,
    pid: process.pid,
  };
}
