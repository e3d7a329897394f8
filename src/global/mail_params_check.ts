/*
 * mail_params_check - the checks every Postfix program makes on main.cf right after
 * reading it: each parameter of mail_params_init()'s tables converted and range-checked
 * in Postfix's order (the first bad one is fatal, with Postfix's message), then the host
 * names, inet_protocols, known_tcp_ports, the users and groups, inet_interfaces, and the
 * relayhost, myorigin and VERP settings. Counterpart: mail_params_init() in
 * postfix/src/global/mail_params.c (its checks; the settings that daemons keep are in
 * mail_params_init.ts when present). XXX Both should become one module.
 */
import { msg } from '../util/msg.js';
import { msgSyslogSetFacility } from '../util/msg_syslog.js';
import { nameMask } from '../util/name_mask.js';
import { getgrgid, getgrnam, getpwnam, getpwuid } from '../util/mypwd.js';
import { casefoldUtf8 } from '../util/casefold.js';
import { DO_GRIPE, validHostname } from '../util/valid_hostname.js';
import { MAIN_CONF_FILE, mailConfLookup, mailConfStr, mailConfValue } from './mail_conf.js';
import { VAR_CONFIG_DIR, ownAddresses } from './mail_params.js';
import { compatLevelFromString } from './compat_level.js';
import { configKnownTcpPorts } from './config_known_tcp_ports.js';

/* The parameters of mail_params_init()'s tables, table by table, in its order. */
const FIRST_STR = ['mail_version', 'syslog_facility', 'inet_protocols', 'multi_instance_directories', 'multi_instance_group',
  'multi_instance_name', 'maillog_file', 'maillog_file_prefixes', 'maillog_file_compressor', 'maillog_file_rotate_suffix',
  'postlog_service_name', 'dnssec_probe', 'known_tcp_ports'];
const FIRST_BOOL = ['daemon_table_open_error_is_fatal', 'dns_ncache_ttl_fix_enable'];
const FIRST_NBOOL = ['smtputf8_enable', 'enable_idna2003_compatibility', 'respectful_logging'];
const FUNCTION_STR = ['myhostname', 'mydomain'];
const OTHER_STR = ['mail_name', 'syslog_name', 'mail_owner', 'setgid_group', 'mydestination', 'myorigin', 'relayhost',
  'daemon_directory', 'data_directory', 'command_directory', 'meta_directory', 'queue_directory', 'shlib_directory',
  'process_id_directory', 'inet_interfaces', 'proxy_interfaces', 'double_bounce_sender', 'default_privs', 'alias_database',
  'mail_release_date', 'default_database_type', 'hash_queue_names', 'recipient_delimiter', 'relay_domains',
  'fast_flush_domains', 'export_environment', 'import_environment', 'mynetworks_style', 'debug_peer_list',
  'default_verp_delimiters', 'verp_delimiter_filter', 'parent_domain_matches_subdomains', 'alternate_config_directories',
  'bounce_service_name', 'cleanup_service_name', 'defer_service_name', 'pickup_service_name', 'queue_service_name',
  'rewrite_service_name', 'showq_service_name', 'error_service_name', 'flush_service_name', 'address_verify_service_name',
  'trace_service_name', 'proxymap_service_name', 'proxywrite_service_name', 'internal_mail_filter_classes',
  'multi_instance_wrapper', 'default_delivery_status_filter', 'smtputf8_autodetect_classes', 'message_drop_headers',
  'info_log_address_format'];
const OTHER_INT = ['default_process_limit', 'max_use', 'dont_remove', 'line_length_limit', 'hash_queue_depth', 'fork_attempts',
  'deliver_lock_attempts', 'debug_peer_level', 'fault_injection_code', 'berkeley_db_create_buffer_size',
  'berkeley_db_read_buffer_size', 'header_size_limit', 'header_address_token_limit', 'mime_nesting_limit',
  'mime_boundary_length_limit', 'delay_logging_resolution_limit', 'tcp_windowsize'];
const OTHER_LONG = ['message_size_limit', 'lmdb_map_size'];
const OTHER_BOOL = ['disable_dns_lookups', 'soft_bounce', 'owner_request_special', 'strict_8bitmime', 'strict_7bit_headers',
  'strict_8bitmime_body', 'strict_mime_encoding_domain', 'disable_mime_input_processing', 'disable_mime_output_conversion',
  'address_verify_negative_cache', 'backwards_bounce_logfile_compatibility', 'helpful_warnings', 'send_cyrus_sasl_authzid',
  'multi_instance_enable', 'enable_long_queue_ids', 'strict_smtputf8', 'enable_original_recipient'];
const OTHER_TIME = ['application_event_drain_time', 'max_idle', 'ipc_timeout', 'ipc_idle', 'ipc_ttl', 'trigger_timeout',
  'fork_delay', 'deliver_lock_delay', 'stale_lock_time', 'daemon_timeout', 'in_flow_delay'];

const INET_PROTOCOLS = { ipv4: 1, ipv6: 2, all: 3 };

const check = (names: readonly string[]) => {
  for (const name of names) mailConfValue(name);
};

/** The user and group IDs the checks looked up (Postfix: var_owner_uid and friends). */
export interface MailIds {
  owner_uid: number;
  owner_gid: number;
  default_uid: number;
  default_gid: number;
  sgid_gid: number;
}

/** Postfix: the checks of mail_params_init(), in its order. */
export function mailParamsCheck(): MailIds {
  const where = `file ${mailConfLookup(VAR_CONFIG_DIR) ?? ''}/${MAIN_CONF_FILE}`;
  compatLevelFromString(mailConfValue('compatibility_level') as string, msg.fatal);
  check(FIRST_STR);
  const facility = mailConfStr('syslog_facility');
  if (!msgSyslogSetFacility(facility)) msg.fatal(`${where}: parameter syslog_facility: unrecognized value: ${facility}`);
  check(FIRST_BOOL);
  check(FIRST_NBOOL);
  configKnownTcpPorts('known_tcp_ports', mailConfStr('known_tcp_ports'));
  const protocols = nameMask('inet_protocols', INET_PROTOCOLS, mailConfStr('inet_protocols'));

  check(FUNCTION_STR);
  for (const name of FUNCTION_STR) {
    const value = mailConfStr(name);
    if (!validHostname(value, DO_GRIPE)) msg.fatal(`${where}: parameter ${name}: bad parameter value: ${value}`);
  }
  check(OTHER_STR);
  check(OTHER_INT);
  check(OTHER_LONG);
  check(OTHER_BOOL);
  check(OTHER_TIME);
  const ids = checkUsersAndGroups(where);

  // mynetworks: computed (with inet_interfaces) unless main.cf has it; then
  // inet_interfaces is still checked, as own_inet_addr_list() does.
  mailConfValue('mynetworks');
  if (mailConfLookup('mynetworks') !== undefined) ownAddresses(mailConfStr('inet_interfaces'), (protocols & 1) !== 0, (protocols & 2) !== 0);

  const myhostname = mailConfStr('myhostname');
  const relayhost = mailConfStr('relayhost');
  if (casefoldUtf8(myhostname) === casefoldUtf8(relayhost)) {
    msg.fatal(`myhostname and relayhost parameter settings must not be identical: ${myhostname}`);
  }
  const myorigin = mailConfStr('myorigin');
  if (/[, \t\r\n]/.test(myorigin)) msg.fatal(`myorigin parameter setting must not contain multiple values: ${myorigin}`);
  const verpError = verpDelimsVerify(mailConfStr('default_verp_delimiters'), mailConfStr('verp_delimiter_filter'));
  if (verpError !== undefined) {
    msg.fatal(`${where}: parameters default_verp_delimiters and verp_delimiter_filter: ${verpError}`);
  }
  return ids;
}

/** Postfix: verp_delims_verify(). */
export function verpDelimsVerify(delims: string, filter: string): string | undefined {
  if (delims.length !== 2) return 'bad VERP delimiter character count';
  if (!filter.includes(delims[0]!)) return 'bad first VERP delimiter character';
  if (!filter.includes(delims[1]!)) return 'bad second VERP delimiter character';
  return undefined;
}

/** Postfix: check_default_privs(), check_mail_owner(), check_sgid_group(), check_overlap(). */
function checkUsersAndGroups(where: string): MailIds {
  const privsName = mailConfStr('default_privs');
  const ownerName = mailConfStr('mail_owner');
  const groupName = mailConfStr('setgid_group');
  const user = (param: string, name: string) => {
    const pwd = getpwnam(name) ?? msg.fatal(`${where}: parameter ${param}: unknown user name value: ${name}`);
    if (pwd.pw_uid === 0) msg.fatal(`${where}: parameter ${param}: user ${name} has privileged user ID`);
    if (pwd.pw_gid === 0) msg.fatal(`${where}: parameter ${param}: user ${name} has privileged group ID`);
    return pwd;
  };
  const privs = user('default_privs', privsName);
  const owner = user('mail_owner', ownerName);
  // Another account with the mail owner's user ID would share its privileges.
  const sameUid = getpwuid(owner.pw_uid);
  if (sameUid !== null && sameUid.pw_name !== ownerName) {
    msg.fatal(`${where}: parameter mail_owner: user ${ownerName} has same user ID as ${sameUid.pw_name}`);
  }
  const sgid = (getgrnam(groupName) ?? msg.fatal(`${where}: parameter setgid_group: unknown group name: ${groupName}`)).gr_gid;
  if (sgid === 0) msg.fatal(`${where}: parameter setgid_group: group ${groupName} has privileged group ID`);
  const sameGid = getgrgid(sgid);
  if (sameGid !== null && sameGid.gr_name !== groupName) {
    msg.fatal(`${where}: parameter setgid_group: group ${groupName} has same group ID as ${sameGid.gr_name}`);
  }
  if (privsName === ownerName) msg.fatal(`${where}: parameters default_privs and mail_owner specify the same user ${privsName}`);
  if (privs.pw_uid === owner.pw_uid) {
    msg.fatal(`${where}: parameters default_privs and mail_owner: users ${privsName} and ${ownerName} have the same user ID: ${owner.pw_uid}`);
  }
  if (privs.pw_gid === owner.pw_gid) {
    msg.fatal(`${where}: parameters default_privs and mail_owner: users ${privsName} and ${ownerName} have the same group ID: ${owner.pw_gid}`);
  }
  if (privs.pw_gid === sgid) {
    msg.fatal(`${where}: parameters default_privs and setgid_group: user ${privsName} and group ${groupName} have the same group ID: ${sgid}`);
  }
  if (owner.pw_gid === sgid) {
    msg.fatal(`${where}: parameters mail_owner and setgid_group: user ${ownerName} and group ${groupName} have the same group ID: ${sgid}`);
  }
  return { owner_uid: owner.pw_uid, owner_gid: owner.pw_gid, default_uid: privs.pw_uid, default_gid: privs.pw_gid, sgid_gid: sgid };
}
