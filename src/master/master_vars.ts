/*
 * master_vars - the main.cf parameters that master(8) uses, read at start-up and again
 * on every reload.
 * Counterpart: postfix/src/master/master_vars.c, plus the part of mail_params_init()
 * that master depends on (mail_owner and setgid_group checks, MAIL_LOGTAG export).
 * A changed config_directory, queue_directory or inet_protocols is reported, not applied.
 */
import { msg } from '../util/msg.js';
import { getgrnam, getpwnam } from '../util/pwd.js';
import { safeGetenv } from '../util/safe.js';
import {
  CONF_ENV_LOGTAG, MASTER_CONF_FILE, MAIN_CONF_FILE, configDict, mailConfInt, mailConfRead, mailConfStr, mailConfTime,
} from '../global/mail_conf.js';
import { compatLevelFromString } from '../global/compat_level.js';
import { VAR_CONFIG_DIR, VAR_PROCNAME, VAR_QUEUE_DIR } from '../global/mail_params.js';
import { masterStrWatch, type MasterStrWatch } from './master_watch.js';
import { fsetMasterEnt } from './master_ent.js';
import { readFileSync } from 'node:fs';
import { inetProtoInit } from '../util/inet_proto.js';
import { ownInetAddrList } from '../global/own_inet_addr.js';

export interface MasterVars {
  /** argv[0] of master, and its base name. */
  argv0: string;
  procname: string;
  configDir: string;
  queueDir: string;
  daemonDir: string;
  dataDir: string;
  procLimit: number;
  throttleTime: number;
  masterDisable: string;
  inetInterfaces: string;
  inetProtocols: string;
  ownerName: string;
  ownerUid: number;
  ownerGid: number;
  importEnviron: string;
  mailVersion: string;
  syslogName: string;
  maillogFile: string;
  /** compatibility_level below 1: chroot defaults to y. */
  compatChroot: boolean;
}

export const vars: MasterVars = {
  argv0: 'master', procname: 'master', configDir: '', queueDir: '', daemonDir: '', dataDir: '', procLimit: 100, throttleTime: 60,
  masterDisable: '', inetInterfaces: '', inetProtocols: '', ownerName: '', ownerUid: -1, ownerGid: -1,
  importEnviron: '', mailVersion: '', syslogName: '', maillogFile: '', compatChroot: false,
};

function groupNameOf(gid: number): string | undefined {
  try {
    for (const line of readFileSync('/etc/group', 'latin1').split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && Number(f[2]) === gid && f[2] !== '') return f[0];
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function userNameOf(uid: number): string | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'latin1').split('\n')) {
      const f = line.split(':');
      if (f.length >= 7 && Number(f[2]) === uid && f[2] !== '') return f[0];
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Postfix: check_mail_owner() and check_sgid_group() of mail_params.c. */
function checkOwnerAndGroup(): void {
  const where = `file ${vars.configDir}/${MAIN_CONF_FILE}: parameter`;
  const owner = mailConfStr('mail_owner');
  const pwd = getpwnam(owner);
  if (pwd === undefined) msg.fatal(`${where} mail_owner: unknown user name value: ${owner}`);
  if (pwd.uid === 0) msg.fatal(`${where} mail_owner: user ${owner} has privileged user ID`);
  if (pwd.gid === 0) msg.fatal(`${where} mail_owner: user ${owner} has privileged group ID`);
  const sameUid = userNameOf(pwd.uid);
  if (sameUid !== undefined && sameUid !== owner) msg.fatal(`${where} mail_owner: user ${owner} has same user ID as ${sameUid}`);
  const group = mailConfStr('setgid_group');
  const gid = getgrnam(group);
  if (gid === undefined) msg.fatal(`${where} setgid_group: unknown group name: ${group}`);
  if (gid === 0) msg.fatal(`${where} setgid_group: group ${group} has privileged group ID`);
  const sameGid = groupNameOf(gid);
  if (sameGid !== undefined && sameGid !== group) msg.fatal(`${where} setgid_group: group ${group} has same group ID as ${sameGid}`);
  vars.ownerName = owner;
  vars.ownerUid = pwd.uid;
  vars.ownerGid = pwd.gid;
}

const watchTable: MasterStrWatch[] = [
  { name: VAR_CONFIG_DIR, value: () => mailConfStr(VAR_CONFIG_DIR), backup: undefined },
  { name: VAR_QUEUE_DIR, value: () => mailConfStr(VAR_QUEUE_DIR), backup: undefined },
  { name: 'inet_protocols', value: () => mailConfStr('inet_protocols'), backup: undefined },
];

/** Postfix: master_vars_init(). */
export function masterVarsInit(): void {
  // Forget the old main.cf, so that deleted settings go back to their defaults.
  configDict.clear();
  configDict.set(VAR_PROCNAME, vars.procname);
  mailConfRead();
  vars.configDir = mailConfStr(VAR_CONFIG_DIR);
  vars.queueDir = mailConfStr(VAR_QUEUE_DIR);
  vars.inetProtocols = mailConfStr('inet_protocols');
  const compat = compatLevelFromString(mailConfStr('compatibility_level'), msg.fatal);
  vars.compatChroot = compat < compatLevelFromString('1', msg.panic);
  checkOwnerAndGroup();
  vars.masterDisable = mailConfStr('master_service_disable');
  vars.throttleTime = mailConfTime('service_throttle_time');
  vars.daemonDir = mailConfStr('daemon_directory');
  vars.dataDir = mailConfStr('data_directory');
  vars.procLimit = mailConfInt('default_process_limit');
  vars.inetInterfaces = mailConfStr('inet_interfaces');
  vars.importEnviron = mailConfStr('import_environment');
  vars.mailVersion = mailConfStr('mail_version');
  vars.syslogName = mailConfStr('syslog_name');
  vars.maillogFile = mailConfStr('maillog_file');
  // Postfix: mail_params_init() looks at the protocols and at this host's interfaces
  // (once; the list is kept), so that a bad setting is fatal already here.
  inetProtoInit('inet_protocols', mailConfStr('inet_protocols'));
  ownInetAddrList(vars.inetInterfaces);
  // Postfix: mail_params_init() exports the syslog name for children that log early.
  if (safeGetenv(CONF_ENV_LOGTAG) !== vars.syslogName) process.env[CONF_ENV_LOGTAG] = vars.syslogName;
  fsetMasterEnt(`${vars.configDir}/${MASTER_CONF_FILE}`);
  // Changes that need a restart are reported; as in Postfix, the new text is what the
  // variables hold, but the sockets, the working directory and the protocol choice stay.
  masterStrWatch(watchTable);
}

export function masterArgv0(): string {
  return vars.argv0;
}
