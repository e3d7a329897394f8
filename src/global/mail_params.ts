/*
 * mail_params - the one table of main.cf parameters: name, type, raw default, bounds.
 * Counterpart: postfix/src/global/mail_params.h (VAR_ and DEF_ macros) and the tables that
 * postconf's build extracts from every program. The table part between the GENERATED
 * markers is rewritten by tools/gen-mail-params.mjs; the rest is written by hand.
 * Raw defaults keep $name references unexpanded, exactly as "postconf -d" prints them.
 */
import { spawnSync } from 'node:child_process';
import { hostname, networkInterfaces } from 'node:os';
import { msg } from '../util/msg.js';
import { nameMask } from '../util/name_mask.js';

/** Postfix's table kinds: a raw value is never $-expanded; nint/nbool defaults are expressions. */
export type ParamKind = 'str' | 'raw' | 'bool' | 'int' | 'long' | 'time' | 'nint' | 'nbool' | 'computed';

/** What a computed default may ask about the configuration (values already expanded). */
export type ConfLookupEval = (name: string) => string | undefined;
/** The expanded default of a parameter, for computed defaults that depend on others. */
export type DefaultEval = (name: string) => string;

export interface ParamSpec<K extends ParamKind = ParamKind> {
  kind: K;
  /** The raw default as postconf -d prints it; computed defaults have compute() instead. */
  def: string;
  compute?: (conf: ConfLookupEval, defaults: DefaultEval) => string;
  /** Bounds: string length for str/raw/computed, value for int/long/time (0: none). */
  min: number;
  max: number;
  /** Default unit of a time value (s m h d w). */
  unit?: string;
}

interface Bounds { min?: number; max?: number }

const spec = <K extends ParamKind>(kind: K, def: string, b: Bounds = {}, unit?: string): ParamSpec<K> =>
  ({ kind, def, min: b.min ?? 0, max: b.max ?? 0, ...(unit ? { unit } : {}) });

export const str = (def: string, b?: Bounds) => spec('str', def, b);
export const raw = (def: string, b?: Bounds) => spec('raw', def, b);
export const bool = (def: boolean) => spec('bool', def ? 'yes' : 'no');
export const int = (def: number, b?: Bounds) => spec('int', String(def), b);
export const long = (def: number, b?: Bounds) => spec('long', String(def), b);
export const time = (def: string, b?: Bounds) => spec('time', def, b, /[smhdw]$/.exec(def)?.[0] ?? 's');
export const nint = (def: string) => spec('nint', def);
export const nbool = (def: string) => spec('nbool', def);
export const computed = (fn: (conf: ConfLookupEval, defaults: DefaultEval) => string, b?: Bounds): ParamSpec<'computed'> =>
  ({ ...spec('computed', '', b), compute: fn });

export const DEF_MYDOMAIN = 'localdomain';

/** Postfix: check_myhostname(): the host name, with $mydomain (or localdomain) added when it has no dot. */
export function defaultMyhostname(conf: ConfLookupEval): string {
  const name = hostname();
  if (name.includes('.')) return name;
  return `${name}.${conf('mydomain') ?? DEF_MYDOMAIN}`;
}

/** Postfix: check_mydomainname(): what follows the first dot of $myhostname. */
export function defaultMydomain(conf: ConfLookupEval): string {
  const host = conf('myhostname') ?? defaultMyhostname(conf);
  const dot = host.indexOf('.');
  return dot < 0 ? DEF_MYDOMAIN : host.slice(dot + 1);
}

/** The text form inet_ntop() gives an IPv6 address: the longest zero run (2+ groups) as "::". */
export function ipv6Text(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function ipv6Groups(address: string): number[] {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16));
}

function maskBits(groups: readonly number[], width: number): number {
  let bits = 0;
  for (const g of groups) {
    if (g === (1 << width) - 1) { bits += width; continue; }
    for (let b = width - 1; b >= 0 && (g & (1 << b)); b--) bits++;
    break;
  }
  return bits;
}

interface LocalAddress { family: 'IPv4' | 'IPv6'; address: string; netmask: string; internal: boolean }

/** Postfix: inet_addr_local(): this host's interface addresses of the enabled protocols. */
function localAddresses(v4: boolean, v6: boolean): LocalAddress[] {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []) as LocalAddress[];
  // Postfix learns IPv4 addresses before IPv6 ones.
  const found: LocalAddress[] = [];
  for (const [family, enabled] of [['IPv4', v4], ['IPv6', v6]] as const) {
    if (!enabled) continue;
    const these = all.filter((a) => a.family === family);
    if (msg.verbose) msg.info(`inet_addr_local: configured ${these.length} ${family} addresses`);
    found.push(...these);
  }
  return found;
}

const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
  || (a.includes(':') && b.includes(':') && ipv6Text(ipv6Groups(a)) === ipv6Text(ipv6Groups(b)));

/** Postfix: inet_addr_host(): the addresses of a name, numeric or looked up with getent. */
function hostAddresses(host: string): string[] {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (/^[0-9.]+$/.test(bare) || bare.includes(':')) return [bare];
  const found = spawnSync('getent', ['ahosts', bare], { encoding: 'latin1' });
  return [...new Set((found.stdout ?? '').split('\n').map((l) => l.split(/\s+/)[0]!).filter((a) => a !== ''))];
}

/** Postfix: own_inet_addr_list() with its masks: the addresses named by inet_interfaces. */
export function ownAddresses(interfaces: string, v4: boolean, v6: boolean): LocalAddress[] {
  const explicit = interfaces !== 'all' && interfaces !== 'loopback-only';
  const hosts = explicit ? interfaces.split(/[ \t,]+/).filter((h) => h !== '') : [];
  const wanted: string[] = [];
  for (const host of hosts) {
    const addrs = hostAddresses(host).filter((a) => (a.includes(':') ? v6 : v4));
    if (addrs.length === 0) msg.fatal(`config variable inet_interfaces: host not found: ${host}`);
    for (const addr of addrs) if (!wanted.some((w) => sameAddress(w, addr))) wanted.push(addr);
  }
  const local = localAddresses(v4, v6);
  if (local.length === 0) msg.fatal('could not find any active network interfaces');
  if (interfaces === 'all') return local;
  if (interfaces === 'loopback-only') return local.filter((a) => a.internal);
  return wanted.map((addr) => local.find((l) => sameAddress(l.address, addr))
    ?? msg.fatal(`parameter inet_interfaces: no local interface found for ${addr}`));
}

const MASK_STYLES = { class: 1, subnet: 2, host: 4 };
const INET_PROTOCOLS = { ipv4: 1, ipv6: 2, all: 3 };

/**
 * Postfix: mynetworks(): the networks of the addresses inet_interfaces names, in the
 * style mynetworks_style asks for (subnet, class or host), duplicates dropped.
 */
export function defaultMynetworks(conf: ConfLookupEval, defaults: DefaultEval): string {
  const protocols = nameMask('inet_protocols', INET_PROTOCOLS, conf('inet_protocols') ?? defaults('inet_protocols'));
  const v4 = (protocols & 1) !== 0;
  const v6 = (protocols & 2) !== 0;
  if (!v4 && !v6) {
    if (msg.verbose) msg.info('skipping mynetworks setting - all network protocols are disabled');
    return '';
  }
  const styleText = conf('mynetworks_style') ?? defaults('mynetworks_style');
  const styleMask = nameMask('mynetworks mask style', MASK_STYLES, styleText);
  if (styleMask !== 1 && styleMask !== 2 && styleMask !== 4) {
    msg.fatal(`bad mynetworks_style value: ${styleText}; specify exactly one value`);
  }
  const style = styleMask === 1 ? 'class' : styleMask === 2 ? 'subnet' : 'host';
  const nets: string[] = [];
  for (const a of ownAddresses(conf('inet_interfaces') ?? defaults('inet_interfaces'), v4, v6)) {
    if (a.family === 'IPv4') {
      const addr = a.address.split('.').map(Number);
      let mask = a.netmask.split('.').map(Number);
      if (style === 'host') mask = [255, 255, 255, 255];
      else if (style === 'class') {
        const first = addr[0]!;
        mask = first < 128 ? [255, 0, 0, 0] : first < 192 ? [255, 255, 0, 0] : first < 224 ? [255, 255, 255, 0] : [240, 0, 0, 0];
      }
      nets.push(`${addr.map((o, i) => o & mask[i]!).join('.')}/${maskBits(mask, 8)}`);
    } else {
      const addr = ipv6Groups(a.address);
      const mask = style === 'host' ? Array(8).fill(0xffff) : ipv6Groups(a.netmask);
      nets.push(`[${ipv6Text(addr.map((g, i) => g & mask[i]!))}]/${maskBits(mask, 16)}`);
    }
  }
  // Interfaces can share a network: keep the first of each, in order.
  const unique: string[] = [];
  for (const net of nets) {
    const seen = unique.includes(net);
    if (msg.verbose && nets.length > 1) msg.info(`been_here: ${net}: ${seen ? 1 : 0}`);
    if (!seen) unique.push(net);
  }
  if (msg.verbose) msg.info(`mynetworks_core: ${unique.map((n) => `${n} `).join('')}`);
  return unique.join(' ');
}

export const MAIN_PARAMS = {
  // BEGIN GENERATED by tools/gen-mail-params.mjs
  '2bounce_notice_recipient': str('postmaster', { min: 1, max: 0 }),
  access_map_defer_code: int(450),
  access_map_reject_code: int(554),
  address_verify_cache_cleanup_interval: time('12h'),
  address_verify_default_transport: str('$default_transport', { min: 1, max: 0 }),
  address_verify_local_transport: str('$local_transport', { min: 1, max: 0 }),
  address_verify_map: str('btree:$data_directory/verify_cache'),
  address_verify_negative_cache: bool(true),
  address_verify_negative_expire_time: time('3d', { min: 1, max: 0 }),
  address_verify_negative_refresh_time: time('3h', { min: 1, max: 0 }),
  address_verify_pending_request_limit: int(5000, { min: 1, max: 0 }),
  address_verify_poll_count: nint('${stress?{1}:{3}}'),
  address_verify_poll_delay: time('3s', { min: 1, max: 0 }),
  address_verify_positive_expire_time: time('31d', { min: 1, max: 0 }),
  address_verify_positive_refresh_time: time('7d', { min: 1, max: 0 }),
  address_verify_relay_transport: str('$relay_transport', { min: 1, max: 0 }),
  address_verify_relayhost: str('$relayhost'),
  address_verify_sender: str('$double_bounce_sender'),
  address_verify_sender_dependent_default_transport_maps: str('$sender_dependent_default_transport_maps'),
  address_verify_sender_dependent_relayhost_maps: str('$sender_dependent_relayhost_maps'),
  address_verify_sender_ttl: time('0s'),
  address_verify_service_name: str('verify', { min: 1, max: 0 }),
  address_verify_transport_maps: str('$transport_maps'),
  address_verify_virtual_transport: str('$virtual_transport', { min: 1, max: 0 }),
  alias_database: str('hash:/etc/aliases'),
  alias_maps: str('hash:/etc/aliases, nis:mail.aliases'),
  allow_mail_to_commands: str('alias, forward'),
  allow_mail_to_files: str('alias, forward'),
  allow_min_user: bool(false),
  allow_percent_hack: bool(true),
  allow_untrusted_routing: bool(false),
  alternate_config_directories: str(''),
  always_add_missing_headers: bool(false),
  always_bcc: str(''),
  anvil_rate_time_unit: time('60s', { min: 1, max: 0 }),
  anvil_status_update_time: time('600s', { min: 1, max: 0 }),
  append_at_myorigin: bool(true),
  append_dot_mydomain: nbool('${{$compatibility_level} <level {1} ? {yes} : {no}}'),
  application_event_drain_time: time('100s', { min: 1, max: 0 }),
  authorized_flush_users: str('static:anyone'),
  authorized_mailq_users: str('static:anyone'),
  authorized_submit_users: str('static:anyone'),
  backwards_bounce_logfile_compatibility: bool(true),
  berkeley_db_create_buffer_size: int(16777216, { min: 1, max: 0 }),
  berkeley_db_read_buffer_size: int(131072, { min: 1, max: 0 }),
  best_mx_transport: str(''),
  biff: bool(true),
  body_checks: str(''),
  body_checks_size_limit: int(51200),
  bounce_notice_recipient: str('postmaster', { min: 1, max: 0 }),
  bounce_queue_lifetime: time('5d', { min: 0, max: 8640000 }),
  bounce_service_name: str('bounce', { min: 1, max: 0 }),
  bounce_size_limit: int(50000, { min: 1, max: 0 }),
  bounce_template_file: str(''),
  broken_sasl_auth_clients: bool(false),
  canonical_classes: str('envelope_sender, envelope_recipient, header_sender, header_recipient', { min: 1, max: 0 }),
  canonical_maps: str(''),
  cleanup_replace_stray_cr_lf: bool(true),
  cleanup_service_name: str('cleanup', { min: 1, max: 0 }),
  command_directory: str('/usr/sbin', { min: 1, max: 0 }),
  command_execution_directory: raw(''),
  command_expansion_filter: str('1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', { min: 1, max: 0 }),
  command_time_limit: time('1000s', { min: 1, max: 0 }),
  compatibility_level: str('0'),
  config_directory: str('/etc/postfix', { min: 1, max: 0 }),
  confirm_delay_cleared: bool(false),
  connection_cache_protocol_timeout: time('5s', { min: 1, max: 0 }),
  connection_cache_service_name: str('scache', { min: 1, max: 0 }),
  connection_cache_status_update_time: time('600s', { min: 1, max: 0 }),
  connection_cache_ttl_limit: time('2s', { min: 1, max: 0 }),
  content_filter: str(''),
  cyrus_sasl_config_path: str(''),
  daemon_directory: str('/usr/lib/postfix/sbin', { min: 1, max: 0 }),
  daemon_table_open_error_is_fatal: bool(false),
  daemon_timeout: time('18000s', { min: 1, max: 0 }),
  data_directory: str('/var/lib/postfix', { min: 1, max: 0 }),
  debug_peer_level: int(2, { min: 1, max: 0 }),
  debug_peer_list: str(''),
  debugger_command: str('', { min: 1, max: 0 }),
  default_database_type: str('hash', { min: 1, max: 0 }),
  default_delivery_slot_cost: int(5),
  default_delivery_slot_discount: int(50, { min: 0, max: 100 }),
  default_delivery_slot_loan: int(3),
  default_delivery_status_filter: str(''),
  default_destination_concurrency_failed_cohort_limit: int(1),
  default_destination_concurrency_limit: int(20),
  default_destination_concurrency_negative_feedback: str('1', { min: 1, max: 0 }),
  default_destination_concurrency_positive_feedback: str('1', { min: 1, max: 0 }),
  default_destination_rate_delay: time('0s'),
  default_destination_recipient_limit: int(50),
  default_extra_recipient_limit: int(1000),
  default_filter_nexthop: str(''),
  default_minimum_delivery_slots: int(3),
  default_privs: str('nobody', { min: 1, max: 0 }),
  default_process_limit: int(100, { min: 1, max: 0 }),
  default_rbl_reply: raw('$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using $rbl_domain${rbl_reason?; $rbl_reason}', { min: 1, max: 0 }),
  default_recipient_limit: int(20000),
  default_recipient_refill_delay: time('5s', { min: 1, max: 0 }),
  default_recipient_refill_limit: int(100, { min: 1, max: 0 }),
  default_transport: str('smtp', { min: 1, max: 0 }),
  default_transport_rate_delay: time('0s'),
  default_verp_delimiters: str('+=', { min: 2, max: 2 }),
  defer_code: int(450),
  defer_service_name: str('defer', { min: 1, max: 0 }),
  defer_transports: str(''),
  delay_logging_resolution_limit: int(2, { min: 0, max: 6 }),
  delay_notice_recipient: str('postmaster', { min: 1, max: 0 }),
  delay_warning_time: time('0h'),
  deliver_lock_attempts: int(20, { min: 1, max: 0 }),
  deliver_lock_delay: time('1s', { min: 1, max: 0 }),
  destination_concurrency_feedback_debug: bool(false),
  detect_8bit_encoding_header: bool(true),
  disable_dns_lookups: bool(false),
  disable_mime_input_processing: bool(false),
  disable_mime_output_conversion: bool(false),
  disable_verp_bounces: bool(false),
  disable_vrfy_command: bool(false),
  dns_ncache_ttl_fix_enable: bool(false),
  dnsblog_reply_delay: time('0s'),
  dnsblog_service_name: str('dnsblog', { min: 1, max: 0 }),
  dnssec_probe: str('ns:.'),
  dont_remove: int(0),
  double_bounce_sender: str('double-bounce', { min: 1, max: 0 }),
  duplicate_filter_limit: int(1000),
  empty_address_default_transport_maps_lookup_key: str('<>', { min: 1, max: 0 }),
  empty_address_local_login_sender_maps_lookup_key: str('<>'),
  empty_address_recipient: str('MAILER-DAEMON', { min: 1, max: 0 }),
  empty_address_relayhost_maps_lookup_key: str('<>', { min: 1, max: 0 }),
  enable_idna2003_compatibility: nbool('no'),
  enable_long_queue_ids: bool(false),
  enable_original_recipient: bool(true),
  enable_threaded_bounces: nbool('no'),
  error_notice_recipient: str('postmaster', { min: 1, max: 0 }),
  error_service_name: str('error', { min: 1, max: 0 }),
  execution_directory_expansion_filter: str('1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', { min: 1, max: 0 }),
  expand_owner_alias: bool(false),
  export_environment: str('TZ MAIL_CONFIG LANG'),
  fallback_transport: str(''),
  fallback_transport_maps: str(''),
  fast_flush_domains: str('$relay_domains'),
  fast_flush_purge_time: time('7d', { min: 1, max: 0 }),
  fast_flush_refresh_time: time('12h', { min: 1, max: 0 }),
  fault_injection_code: int(0),
  flush_service_name: str('flush', { min: 1, max: 0 }),
  fork_attempts: int(5, { min: 1, max: 0 }),
  fork_delay: time('1s', { min: 1, max: 0 }),
  forward_expansion_filter: str('1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', { min: 1, max: 0 }),
  forward_path: raw('$home/.forward${recipient_delimiter}${extension}, $home/.forward'),
  frozen_delivered_to: bool(true),
  hash_queue_depth: int(1, { min: 1, max: 0 }),
  hash_queue_names: str('deferred, defer', { min: 1, max: 0 }),
  header_address_token_limit: int(10240, { min: 1, max: 0 }),
  header_checks: str(''),
  header_from_format: str('standard', { min: 1, max: 0 }),
  header_size_limit: int(102400, { min: 1, max: 0 }),
  helpful_warnings: bool(true),
  home_mailbox: str(''),
  hopcount_limit: int(50, { min: 1, max: 0 }),
  html_directory: str('/usr/share/doc/postfix/html', { min: 1, max: 0 }),
  ignore_mx_lookup_error: bool(false),
  import_environment: str('MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME'),
  in_flow_delay: time('1s', { min: 0, max: 10 }),
  inet_interfaces: str('all'),
  inet_protocols: str('all'),
  info_log_address_format: str('external', { min: 1, max: 0 }),
  initial_destination_concurrency: int(5, { min: 1, max: 0 }),
  internal_mail_filter_classes: str(''),
  invalid_hostname_reject_code: int(501),
  ipc_idle: time('5s', { min: 1, max: 0 }),
  ipc_timeout: time('3600s', { min: 1, max: 0 }),
  ipc_ttl: time('1000s', { min: 1, max: 0 }),
  known_tcp_ports: str('lmtp=24, smtp=25, smtps=submissions=465, submission=587'),
  line_length_limit: int(2048, { min: 512, max: 0 }),
  lmdb_map_size: long(16777216, { min: 1, max: 0 }),
  lmtp_address_preference: str('any', { min: 1, max: 0 }),
  lmtp_address_verify_target: str('rcpt', { min: 1, max: 0 }),
  lmtp_assume_final: bool(false),
  lmtp_balance_inet_protocols: bool(true),
  lmtp_bind_address: str(''),
  lmtp_bind_address6: str(''),
  lmtp_bind_address_enforce: bool(false),
  lmtp_body_checks: str(''),
  lmtp_cname_overrides_servername: bool(false),
  lmtp_connect_timeout: time('0s'),
  lmtp_connection_cache_destinations: str(''),
  lmtp_connection_cache_on_demand: bool(true),
  lmtp_connection_cache_time_limit: time('2s', { min: 1, max: 0 }),
  lmtp_connection_reuse_count_limit: int(0),
  lmtp_connection_reuse_time_limit: time('300s', { min: 1, max: 0 }),
  lmtp_data_done_timeout: time('600s', { min: 1, max: 0 }),
  lmtp_data_init_timeout: time('120s', { min: 1, max: 0 }),
  lmtp_data_xfer_timeout: time('180s', { min: 1, max: 0 }),
  lmtp_defer_if_no_mx_address_found: bool(false),
  lmtp_delivery_status_filter: str('$default_delivery_status_filter'),
  lmtp_discard_lhlo_keyword_address_maps: str(''),
  lmtp_discard_lhlo_keywords: str(''),
  lmtp_dns_reply_filter: str(''),
  lmtp_dns_resolver_options: str(''),
  lmtp_dns_support_level: str(''),
  lmtp_enforce_tls: bool(false),
  lmtp_fallback_relay: str(''),
  lmtp_generic_maps: str(''),
  lmtp_header_checks: str(''),
  lmtp_host_lookup: str('dns', { min: 1, max: 0 }),
  lmtp_lhlo_name: str('$myhostname', { min: 1, max: 0 }),
  lmtp_lhlo_timeout: time('300s', { min: 1, max: 0 }),
  lmtp_line_length_limit: int(998),
  lmtp_mail_timeout: time('300s', { min: 1, max: 0 }),
  lmtp_mime_header_checks: str(''),
  lmtp_min_data_rate: int(500, { min: 1, max: 0 }),
  lmtp_mx_address_limit: int(5),
  lmtp_mx_session_limit: int(2),
  lmtp_nested_header_checks: str(''),
  lmtp_per_request_deadline: nbool('${lmtp_per_record_deadline?{$lmtp_per_record_deadline}:{no}}'),
  lmtp_pix_workaround_delay_time: time('10s', { min: 1, max: 0 }),
  lmtp_pix_workaround_maps: str(''),
  lmtp_pix_workaround_threshold_time: time('500s'),
  lmtp_pix_workarounds: str('disable_esmtp,delay_dotcrlf'),
  lmtp_quit_timeout: time('300s', { min: 1, max: 0 }),
  lmtp_quote_rfc821_envelope: bool(true),
  lmtp_randomize_addresses: bool(true),
  lmtp_rcpt_timeout: time('300s', { min: 1, max: 0 }),
  lmtp_reply_filter: str(''),
  lmtp_rset_timeout: time('20s', { min: 1, max: 0 }),
  lmtp_sasl_auth_cache_name: str(''),
  lmtp_sasl_auth_cache_time: time('90d'),
  lmtp_sasl_auth_enable: bool(false),
  lmtp_sasl_auth_soft_bounce: bool(true),
  lmtp_sasl_mechanism_filter: str(''),
  lmtp_sasl_password_maps: str(''),
  lmtp_sasl_path: str(''),
  lmtp_sasl_security_options: str('noplaintext, noanonymous'),
  lmtp_sasl_tls_security_options: str('$lmtp_sasl_security_options'),
  lmtp_sasl_tls_verified_security_options: str('$lmtp_sasl_tls_security_options'),
  lmtp_sasl_type: str('cyrus', { min: 1, max: 0 }),
  lmtp_send_dummy_mail_auth: bool(false),
  lmtp_send_xforward_command: bool(false),
  lmtp_sender_dependent_authentication: bool(false),
  lmtp_skip_5xx_greeting: bool(true),
  lmtp_skip_quit_response: bool(false),
  lmtp_starttls_timeout: time('300s', { min: 1, max: 0 }),
  lmtp_tcp_port: str('24'),
  lmtp_tls_CAfile: str(''),
  lmtp_tls_CApath: str(''),
  lmtp_tls_block_early_mail_reply: bool(false),
  lmtp_tls_cert_file: str(''),
  lmtp_tls_chain_files: str(''),
  lmtp_tls_ciphers: str('medium', { min: 1, max: 0 }),
  lmtp_tls_connection_reuse: bool(false),
  lmtp_tls_dcert_file: str(''),
  lmtp_tls_dkey_file: str('$lmtp_tls_dcert_file'),
  lmtp_tls_eccert_file: str(''),
  lmtp_tls_eckey_file: str('$lmtp_tls_eccert_file'),
  lmtp_tls_enforce_peername: bool(true),
  lmtp_tls_exclude_ciphers: str(''),
  lmtp_tls_fingerprint_cert_match: str(''),
  lmtp_tls_fingerprint_digest: str('${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}', { min: 1, max: 0 }),
  lmtp_tls_force_insecure_host_tlsa_lookup: bool(false),
  lmtp_tls_key_file: str('$lmtp_tls_cert_file'),
  lmtp_tls_loglevel: str('0'),
  lmtp_tls_mandatory_ciphers: str('medium', { min: 1, max: 0 }),
  lmtp_tls_mandatory_exclude_ciphers: str(''),
  lmtp_tls_mandatory_protocols: str('>=TLSv1'),
  lmtp_tls_note_starttls_offer: bool(false),
  lmtp_tls_per_site: str(''),
  lmtp_tls_policy_maps: str(''),
  lmtp_tls_protocols: str('>=TLSv1'),
  lmtp_tls_scert_verifydepth: int(9),
  lmtp_tls_secure_cert_match: str('nexthop', { min: 1, max: 0 }),
  lmtp_tls_security_level: str(''),
  lmtp_tls_servername: str(''),
  lmtp_tls_session_cache_database: str(''),
  lmtp_tls_session_cache_timeout: time('3600s', { min: 0, max: 8640000 }),
  lmtp_tls_trust_anchor_file: str(''),
  lmtp_tls_verify_cert_match: str('hostname', { min: 1, max: 0 }),
  lmtp_tls_wrappermode: bool(false),
  lmtp_use_tls: bool(false),
  lmtp_xforward_timeout: time('300s', { min: 1, max: 0 }),
  local_command_shell: str(''),
  local_delivery_status_filter: str('$default_delivery_status_filter'),
  local_destination_concurrency_limit: int(2),
  local_destination_recipient_limit: int(1),
  local_header_rewrite_clients: str('permit_inet_interfaces'),
  local_login_sender_maps: str('static:*'),
  local_recipient_maps: str('proxy:unix:passwd.byname $alias_maps'),
  local_transport: str('local:$myhostname', { min: 1, max: 0 }),
  luser_relay: raw(''),
  mail_name: str('Postfix', { min: 1, max: 0 }),
  mail_owner: str('postfix', { min: 1, max: 0 }),
  mail_release_date: str('20240304', { min: 1, max: 0 }),
  mail_spool_directory: str('/var/mail'),
  mail_version: str('3.7.11', { min: 1, max: 0 }),
  mailbox_command: raw(''),
  mailbox_command_maps: str(''),
  mailbox_delivery_lock: str('fcntl, dotlock', { min: 1, max: 0 }),
  mailbox_size_limit: long(51200000),
  mailbox_transport: str(''),
  mailbox_transport_maps: str(''),
  maillog_file: str(''),
  maillog_file_compressor: str('gzip', { min: 1, max: 0 }),
  maillog_file_prefixes: str('/var, /dev/stdout', { min: 1, max: 0 }),
  maillog_file_rotate_suffix: str('%Y%m%d-%H%M%S', { min: 1, max: 0 }),
  mailq_path: str('/usr/bin/mailq', { min: 1, max: 0 }),
  manpage_directory: str('/usr/share/man', { min: 1, max: 0 }),
  maps_rbl_domains: str(''),
  maps_rbl_reject_code: int(554),
  masquerade_classes: str('envelope_sender, header_sender, header_recipient'),
  masquerade_domains: str(''),
  masquerade_exceptions: str(''),
  master_service_disable: str(''),
  max_idle: time('100s', { min: 1, max: 0 }),
  max_use: int(100, { min: 1, max: 0 }),
  maximal_backoff_time: time('4000s', { min: 1, max: 0 }),
  maximal_queue_lifetime: time('5d', { min: 0, max: 8640000 }),
  message_drop_headers: str('bcc, content-length, resent-bcc, return-path'),
  message_reject_characters: str(''),
  message_size_limit: long(10240000),
  message_strip_characters: str(''),
  meta_directory: str('/etc/postfix', { min: 1, max: 0 }),
  milter_command_timeout: time('30s', { min: 1, max: 0 }),
  milter_connect_macros: str('j {daemon_name} {daemon_addr} v _'),
  milter_connect_timeout: time('30s', { min: 1, max: 0 }),
  milter_content_timeout: time('300s', { min: 1, max: 0 }),
  milter_data_macros: str('i'),
  milter_default_action: str('tempfail', { min: 1, max: 0 }),
  milter_end_of_data_macros: str('i'),
  milter_end_of_header_macros: str('i'),
  milter_header_checks: str(''),
  milter_helo_macros: str('{tls_version} {cipher} {cipher_bits} {cert_subject} {cert_issuer}'),
  milter_macro_daemon_name: str('$myhostname', { min: 1, max: 0 }),
  milter_macro_defaults: str(''),
  milter_macro_v: str('$mail_name $mail_version', { min: 1, max: 0 }),
  milter_mail_macros: str('i {auth_type} {auth_authen} {auth_author} {mail_addr} {mail_host} {mail_mailer}'),
  milter_protocol: str('6', { min: 1, max: 0 }),
  milter_rcpt_macros: str('i {rcpt_addr} {rcpt_host} {rcpt_mailer}'),
  milter_unknown_command_macros: str(''),
  mime_boundary_length_limit: int(2048, { min: 1, max: 0 }),
  mime_header_checks: str('$header_checks'),
  mime_nesting_limit: int(100, { min: 1, max: 0 }),
  minimal_backoff_time: time('300s', { min: 1, max: 0 }),
  multi_instance_directories: str(''),
  multi_instance_enable: bool(false),
  multi_instance_group: str(''),
  multi_instance_name: str(''),
  multi_instance_wrapper: str(''),
  multi_recipient_bounce_reject_code: int(550),
  mydestination: str('$myhostname, localhost.$mydomain, localhost'),
  mydomain: computed(defaultMydomain, { min: 1, max: 0 }),
  myhostname: computed(defaultMyhostname, { min: 1, max: 0 }),
  mynetworks: computed(defaultMynetworks),
  mynetworks_style: str('${{$compatibility_level} <level {2} ? {subnet} : {host}}', { min: 1, max: 0 }),
  myorigin: str('$myhostname', { min: 1, max: 0 }),
  nested_header_checks: str('$header_checks'),
  newaliases_path: str('/usr/bin/newaliases', { min: 1, max: 0 }),
  non_fqdn_reject_code: int(504),
  non_smtpd_milters: str(''),
  notify_classes: str('resource, software'),
  openssl_path: str('openssl', { min: 1, max: 0 }),
  owner_request_special: bool(true),
  parent_domain_matches_subdomains: str('debug_peer_list,fast_flush_domains,mynetworks,permit_mx_backup_networks,qmqpd_authorized_clients,relay_domains,smtpd_access_maps'),
  permit_mx_backup_networks: str(''),
  pickup_service_name: str('pickup', { min: 1, max: 0 }),
  pipe_delivery_status_filter: str('$default_delivery_status_filter'),
  plaintext_reject_code: int(450),
  postlog_service_name: str('postlog', { min: 1, max: 0 }),
  postlogd_watchdog_timeout: time('10s', { min: 10, max: 0 }),
  postmulti_control_commands: str('reload flush'),
  postmulti_start_commands: str('start'),
  postmulti_stop_commands: str('stop abort drain quick-stop'),
  postscreen_access_list: str('permit_mynetworks'),
  postscreen_allowlist_interfaces: str('${postscreen_whitelist_interfaces?{$postscreen_whitelist_interfaces}:{static:all}}'),
  postscreen_bare_newline_action: str('ignore', { min: 1, max: 0 }),
  postscreen_bare_newline_enable: bool(false),
  postscreen_bare_newline_ttl: time('30d', { min: 1, max: 0 }),
  postscreen_cache_cleanup_interval: time('12h'),
  postscreen_cache_map: str('btree:$data_directory/postscreen_cache'),
  postscreen_cache_retention_time: time('7d', { min: 1, max: 0 }),
  postscreen_client_connection_count_limit: nint('$smtpd_client_connection_count_limit'),
  postscreen_command_count_limit: int(20, { min: 1, max: 0 }),
  postscreen_command_filter: str(''),
  postscreen_command_time_limit: time('${stress?{10}:{300}}s', { min: 1, max: 0 }),
  postscreen_denylist_action: str('${postscreen_blacklist_action?{$postscreen_blacklist_action}:{ignore}}', { min: 1, max: 0 }),
  postscreen_disable_vrfy_command: nbool('$disable_vrfy_command'),
  postscreen_discard_ehlo_keyword_address_maps: str('$smtpd_discard_ehlo_keyword_address_maps'),
  postscreen_discard_ehlo_keywords: str('$smtpd_discard_ehlo_keywords'),
  postscreen_dnsbl_action: str('ignore', { min: 1, max: 0 }),
  postscreen_dnsbl_allowlist_threshold: nint('${postscreen_dnsbl_whitelist_threshold?{$postscreen_dnsbl_whitelist_threshold}:{0}}'),
  postscreen_dnsbl_max_ttl: time('${postscreen_dnsbl_ttl?{$postscreen_dnsbl_ttl}:{1}}h', { min: 1, max: 0 }),
  postscreen_dnsbl_min_ttl: time('60s', { min: 1, max: 0 }),
  postscreen_dnsbl_reply_map: str(''),
  postscreen_dnsbl_sites: str(''),
  postscreen_dnsbl_threshold: int(1, { min: 1, max: 0 }),
  postscreen_dnsbl_timeout: time('10s', { min: 1, max: 0 }),
  postscreen_enforce_tls: nbool('$smtpd_enforce_tls'),
  postscreen_expansion_filter: raw('$smtpd_expansion_filter', { min: 1, max: 0 }),
  postscreen_forbidden_commands: str('$smtpd_forbidden_commands'),
  postscreen_greet_action: str('ignore', { min: 1, max: 0 }),
  postscreen_greet_banner: str('$smtpd_banner'),
  postscreen_greet_ttl: time('1d', { min: 1, max: 0 }),
  postscreen_greet_wait: time('${stress?{2}:{6}}s', { min: 1, max: 0 }),
  postscreen_helo_required: nbool('$smtpd_helo_required'),
  postscreen_non_smtp_command_action: str('drop', { min: 1, max: 0 }),
  postscreen_non_smtp_command_enable: bool(false),
  postscreen_non_smtp_command_ttl: time('30d', { min: 1, max: 0 }),
  postscreen_pipelining_action: str('enforce', { min: 1, max: 0 }),
  postscreen_pipelining_enable: bool(false),
  postscreen_pipelining_ttl: time('30d', { min: 1, max: 0 }),
  postscreen_post_queue_limit: nint('$default_process_limit'),
  postscreen_pre_queue_limit: nint('$default_process_limit'),
  postscreen_reject_footer: raw('$smtpd_reject_footer'),
  postscreen_reject_footer_maps: str('$smtpd_reject_footer_maps'),
  postscreen_tls_security_level: str('$smtpd_tls_security_level'),
  postscreen_upstream_proxy_protocol: str(''),
  postscreen_upstream_proxy_timeout: time('5s', { min: 1, max: 0 }),
  postscreen_use_tls: nbool('$smtpd_use_tls'),
  postscreen_watchdog_timeout: time('10s', { min: 10, max: 0 }),
  prepend_delivered_header: str('command, file, forward'),
  process_id_directory: str('pid', { min: 1, max: 0 }),
  propagate_unmatched_extensions: str('canonical, virtual'),
  proxy_interfaces: str(''),
  proxy_read_maps: str('$local_recipient_maps $mydestination $virtual_alias_maps $virtual_alias_domains $virtual_mailbox_maps $virtual_mailbox_domains $relay_recipient_maps $relay_domains $canonical_maps $sender_canonical_maps $recipient_canonical_maps $relocated_maps $transport_maps $mynetworks $smtpd_sender_login_maps $sender_bcc_maps $recipient_bcc_maps $smtp_generic_maps $lmtp_generic_maps $alias_maps $smtpd_client_restrictions $smtpd_helo_restrictions $smtpd_sender_restrictions $smtpd_relay_restrictions $smtpd_recipient_restrictions $address_verify_sender_dependent_default_transport_maps $address_verify_sender_dependent_relayhost_maps $address_verify_transport_maps $fallback_transport_maps $lmtp_discard_lhlo_keyword_address_maps $lmtp_pix_workaround_maps $lmtp_sasl_password_maps $lmtp_tls_policy_maps $mailbox_command_maps $mailbox_transport_maps $postscreen_discard_ehlo_keyword_address_maps $rbl_reply_maps $sender_dependent_default_transport_maps $sender_dependent_relayhost_maps $smtp_discard_ehlo_keyword_address_maps $smtp_pix_workaround_maps $smtp_sasl_password_maps $smtp_tls_policy_maps $smtpd_discard_ehlo_keyword_address_maps $smtpd_milter_maps $virtual_gid_maps $virtual_uid_maps $local_login_sender_maps $postscreen_reject_footer_maps $smtpd_reject_footer_maps $tls_server_sni_maps $tlsproxy_client_policy_maps $default_delivery_status_filter $lmtp_delivery_status_filter $lmtp_dns_reply_filter $lmtp_reply_filter $local_delivery_status_filter $pipe_delivery_status_filter $postscreen_command_filter $smtp_delivery_status_filter $smtp_dns_reply_filter $smtp_reply_filter $smtpd_command_filter $smtpd_dns_reply_filter $virtual_delivery_status_filter $body_checks $header_checks $lmtp_body_checks $lmtp_header_checks $lmtp_mime_header_checks $lmtp_nested_header_checks $milter_header_checks $mime_header_checks $nested_header_checks $smtp_body_checks $smtp_header_checks $smtp_mime_header_checks $smtp_nested_header_checks'),
  proxy_write_maps: str('$smtp_sasl_auth_cache_name $lmtp_sasl_auth_cache_name $address_verify_map $postscreen_cache_map'),
  proxymap_service_name: str('proxymap', { min: 1, max: 0 }),
  proxywrite_service_name: str('proxywrite', { min: 1, max: 0 }),
  qmgr_clog_warn_time: time('300s'),
  qmgr_daemon_timeout: time('1000s', { min: 1, max: 0 }),
  qmgr_fudge_factor: int(100, { min: 10, max: 100 }),
  qmgr_ipc_timeout: time('60s', { min: 1, max: 0 }),
  qmgr_message_active_limit: int(20000, { min: 1, max: 0 }),
  qmgr_message_recipient_limit: int(20000, { min: 1, max: 0 }),
  qmgr_message_recipient_minimum: int(10, { min: 1, max: 0 }),
  qmqpd_authorized_clients: str(''),
  qmqpd_client_port_logging: bool(false),
  qmqpd_error_delay: time('1s'),
  qmqpd_timeout: time('300s', { min: 1, max: 0 }),
  queue_directory: str('/var/spool/postfix', { min: 1, max: 0 }),
  queue_file_attribute_count_limit: int(100, { min: 1, max: 0 }),
  queue_minfree: long(0),
  queue_run_delay: time('300s', { min: 1, max: 0 }),
  queue_service_name: str('qmgr', { min: 1, max: 0 }),
  rbl_reply_maps: str(''),
  readme_directory: str('/usr/share/doc/postfix', { min: 1, max: 0 }),
  receive_override_options: str(''),
  recipient_bcc_maps: str(''),
  recipient_canonical_classes: str('envelope_recipient, header_recipient', { min: 1, max: 0 }),
  recipient_canonical_maps: str(''),
  recipient_delimiter: str(''),
  reject_code: int(554),
  reject_tempfail_action: str('defer_if_permit', { min: 1, max: 0 }),
  relay_clientcerts: str(''),
  relay_domains: str('${{$compatibility_level} <level {2} ? {$mydestination} : {}}'),
  relay_domains_reject_code: int(554),
  relay_recipient_maps: str(''),
  relay_transport: str('relay', { min: 1, max: 0 }),
  relayhost: str(''),
  relocated_maps: str(''),
  remote_header_rewrite_domain: str(''),
  require_home_directory: bool(false),
  reset_owner_alias: bool(false),
  resolve_dequoted_address: bool(true),
  resolve_null_domain: bool(false),
  resolve_numeric_domain: bool(false),
  respectful_logging: nbool('${{$compatibility_level} <level {3.6} ? {no} : {yes}}'),
  rewrite_service_name: str('rewrite', { min: 1, max: 0 }),
  sample_directory: str('/etc/postfix', { min: 1, max: 0 }),
  send_cyrus_sasl_authzid: bool(false),
  sender_bcc_maps: str(''),
  sender_canonical_classes: str('envelope_sender, header_sender', { min: 1, max: 0 }),
  sender_canonical_maps: str(''),
  sender_dependent_default_transport_maps: str(''),
  sender_dependent_relayhost_maps: str(''),
  sendmail_fix_line_endings: str('always', { min: 1, max: 0 }),
  sendmail_path: str('/usr/sbin/sendmail', { min: 1, max: 0 }),
  service_throttle_time: time('60s', { min: 1, max: 0 }),
  setgid_group: str('postdrop', { min: 1, max: 0 }),
  shlib_directory: str('/usr/lib/postfix', { min: 1, max: 0 }),
  show_user_unknown_table_name: bool(true),
  showq_service_name: str('showq', { min: 1, max: 0 }),
  smtp_address_preference: str('any', { min: 1, max: 0 }),
  smtp_address_verify_target: str('rcpt', { min: 1, max: 0 }),
  smtp_always_send_ehlo: bool(true),
  smtp_balance_inet_protocols: bool(true),
  smtp_bind_address: str(''),
  smtp_bind_address6: str(''),
  smtp_bind_address_enforce: bool(false),
  smtp_body_checks: str(''),
  smtp_cname_overrides_servername: bool(false),
  smtp_connect_timeout: time('30s'),
  smtp_connection_cache_destinations: str(''),
  smtp_connection_cache_on_demand: bool(true),
  smtp_connection_cache_time_limit: time('2s', { min: 1, max: 0 }),
  smtp_connection_reuse_count_limit: int(0),
  smtp_connection_reuse_time_limit: time('300s', { min: 1, max: 0 }),
  smtp_data_done_timeout: time('600s', { min: 1, max: 0 }),
  smtp_data_init_timeout: time('120s', { min: 1, max: 0 }),
  smtp_data_xfer_timeout: time('180s', { min: 1, max: 0 }),
  smtp_defer_if_no_mx_address_found: bool(false),
  smtp_delivery_status_filter: str('$default_delivery_status_filter'),
  smtp_discard_ehlo_keyword_address_maps: str(''),
  smtp_discard_ehlo_keywords: str(''),
  smtp_dns_reply_filter: str(''),
  smtp_dns_resolver_options: str(''),
  smtp_dns_support_level: str(''),
  smtp_enforce_tls: bool(false),
  smtp_fallback_relay: str('$fallback_relay'),
  smtp_generic_maps: str(''),
  smtp_header_checks: str(''),
  smtp_helo_name: str('$myhostname', { min: 1, max: 0 }),
  smtp_helo_timeout: time('300s', { min: 1, max: 0 }),
  smtp_host_lookup: str('dns', { min: 1, max: 0 }),
  smtp_line_length_limit: int(998),
  smtp_mail_timeout: time('300s', { min: 1, max: 0 }),
  smtp_mime_header_checks: str(''),
  smtp_min_data_rate: int(500, { min: 1, max: 0 }),
  smtp_mx_address_limit: int(5),
  smtp_mx_session_limit: int(2),
  smtp_nested_header_checks: str(''),
  smtp_never_send_ehlo: bool(false),
  smtp_per_request_deadline: nbool('${smtp_per_record_deadline?{$smtp_per_record_deadline}:{no}}'),
  smtp_pix_workaround_delay_time: time('10s', { min: 1, max: 0 }),
  smtp_pix_workaround_maps: str(''),
  smtp_pix_workaround_threshold_time: time('500s'),
  smtp_pix_workarounds: str('disable_esmtp,delay_dotcrlf'),
  smtp_quit_timeout: time('300s', { min: 1, max: 0 }),
  smtp_quote_rfc821_envelope: bool(true),
  smtp_randomize_addresses: bool(true),
  smtp_rcpt_timeout: time('300s', { min: 1, max: 0 }),
  smtp_reply_filter: str(''),
  smtp_rset_timeout: time('20s', { min: 1, max: 0 }),
  smtp_sasl_auth_cache_name: str(''),
  smtp_sasl_auth_cache_time: time('90d'),
  smtp_sasl_auth_enable: bool(false),
  smtp_sasl_auth_soft_bounce: bool(true),
  smtp_sasl_mechanism_filter: str(''),
  smtp_sasl_password_maps: str(''),
  smtp_sasl_path: str(''),
  smtp_sasl_security_options: str('noplaintext, noanonymous'),
  smtp_sasl_tls_security_options: str('$smtp_sasl_security_options'),
  smtp_sasl_tls_verified_security_options: str('$smtp_sasl_tls_security_options'),
  smtp_sasl_type: str('cyrus', { min: 1, max: 0 }),
  smtp_send_dummy_mail_auth: bool(false),
  smtp_send_xforward_command: bool(false),
  smtp_sender_dependent_authentication: bool(false),
  smtp_skip_5xx_greeting: bool(true),
  smtp_skip_quit_response: bool(true),
  smtp_starttls_timeout: time('300s', { min: 1, max: 0 }),
  smtp_tcp_port: str('smtp'),
  smtp_tls_CAfile: str(''),
  smtp_tls_CApath: str(''),
  smtp_tls_block_early_mail_reply: bool(false),
  smtp_tls_cert_file: str(''),
  smtp_tls_chain_files: str(''),
  smtp_tls_ciphers: str('medium', { min: 1, max: 0 }),
  smtp_tls_connection_reuse: bool(false),
  smtp_tls_dane_insecure_mx_policy: str('${{$smtp_tls_security_level} == {dane} ? {dane} : {may}}'),
  smtp_tls_dcert_file: str(''),
  smtp_tls_dkey_file: str('$smtp_tls_dcert_file'),
  smtp_tls_eccert_file: str(''),
  smtp_tls_eckey_file: str('$smtp_tls_eccert_file'),
  smtp_tls_enforce_peername: bool(true),
  smtp_tls_exclude_ciphers: str(''),
  smtp_tls_fingerprint_cert_match: str(''),
  smtp_tls_fingerprint_digest: str('${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}', { min: 1, max: 0 }),
  smtp_tls_force_insecure_host_tlsa_lookup: bool(false),
  smtp_tls_key_file: str('$smtp_tls_cert_file'),
  smtp_tls_loglevel: str('0'),
  smtp_tls_mandatory_ciphers: str('medium', { min: 1, max: 0 }),
  smtp_tls_mandatory_exclude_ciphers: str(''),
  smtp_tls_mandatory_protocols: str('>=TLSv1'),
  smtp_tls_note_starttls_offer: bool(false),
  smtp_tls_per_site: str(''),
  smtp_tls_policy_maps: str(''),
  smtp_tls_protocols: str('>=TLSv1'),
  smtp_tls_scert_verifydepth: int(9),
  smtp_tls_secure_cert_match: str('nexthop, dot-nexthop', { min: 1, max: 0 }),
  smtp_tls_security_level: str(''),
  smtp_tls_servername: str(''),
  smtp_tls_session_cache_database: str(''),
  smtp_tls_session_cache_timeout: time('3600s', { min: 0, max: 8640000 }),
  smtp_tls_trust_anchor_file: str(''),
  smtp_tls_verify_cert_match: str('hostname', { min: 1, max: 0 }),
  smtp_tls_wrappermode: bool(false),
  smtp_use_tls: bool(false),
  smtp_xforward_timeout: time('300s', { min: 1, max: 0 }),
  smtpd_authorized_verp_clients: str('$authorized_verp_clients'),
  smtpd_authorized_xclient_hosts: str(''),
  smtpd_authorized_xforward_hosts: str(''),
  smtpd_banner: str('$myhostname ESMTP $mail_name', { min: 1, max: 0 }),
  smtpd_client_auth_rate_limit: int(0),
  smtpd_client_connection_count_limit: int(50),
  smtpd_client_connection_rate_limit: int(0),
  smtpd_client_event_limit_exceptions: str('${smtpd_client_connection_limit_exceptions:$mynetworks}'),
  smtpd_client_message_rate_limit: int(0),
  smtpd_client_new_tls_session_rate_limit: int(0),
  smtpd_client_port_logging: bool(false),
  smtpd_client_recipient_rate_limit: int(0),
  smtpd_client_restrictions: str(''),
  smtpd_command_filter: str(''),
  smtpd_data_restrictions: str(''),
  smtpd_delay_open_until_valid_rcpt: bool(true),
  smtpd_delay_reject: bool(true),
  smtpd_discard_ehlo_keyword_address_maps: str(''),
  smtpd_discard_ehlo_keywords: str(''),
  smtpd_dns_reply_filter: str(''),
  smtpd_end_of_data_restrictions: str(''),
  smtpd_enforce_tls: bool(false),
  smtpd_error_sleep_time: time('1s'),
  smtpd_etrn_restrictions: str(''),
  smtpd_expansion_filter: raw('\\t\\40!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~', { min: 1, max: 0 }),
  smtpd_forbid_bare_newline: str('no', { min: 1, max: 0 }),
  smtpd_forbid_bare_newline_exclusions: str('$mynetworks'),
  smtpd_forbid_bare_newline_reject_code: int(550, { min: 500, max: 599 }),
  smtpd_forbid_unauth_pipelining: bool(false),
  smtpd_forbidden_commands: str('CONNECT GET POST regexp:{{/^[^A-Z]/ Bogus}}'),
  smtpd_hard_error_limit: nint('${stress?{1}:{20}}'),
  smtpd_helo_required: bool(false),
  smtpd_helo_restrictions: str(''),
  smtpd_history_flush_threshold: int(100, { min: 1, max: 0 }),
  smtpd_junk_command_limit: nint('${stress?{1}:{100}}'),
  smtpd_log_access_permit_actions: str(''),
  smtpd_milter_maps: str(''),
  smtpd_milters: str(''),
  smtpd_min_data_rate: int(500, { min: 1, max: 0 }),
  smtpd_noop_commands: str(''),
  smtpd_null_access_lookup_key: str('<>'),
  smtpd_peername_lookup: bool(true),
  smtpd_per_request_deadline: nbool('${smtpd_per_record_deadline?{$smtpd_per_record_deadline}:{${stress?{yes}:{no}}}}'),
  smtpd_policy_service_default_action: str('451 4.3.5 Server configuration problem', { min: 1, max: 0 }),
  smtpd_policy_service_max_idle: time('300s', { min: 1, max: 0 }),
  smtpd_policy_service_max_ttl: time('1000s', { min: 1, max: 0 }),
  smtpd_policy_service_policy_context: str(''),
  smtpd_policy_service_request_limit: int(0),
  smtpd_policy_service_retry_delay: time('1s', { min: 1, max: 0 }),
  smtpd_policy_service_timeout: time('100s', { min: 1, max: 0 }),
  smtpd_policy_service_try_limit: int(2, { min: 1, max: 0 }),
  smtpd_proxy_ehlo: str('$myhostname'),
  smtpd_proxy_filter: str(''),
  smtpd_proxy_options: str(''),
  smtpd_proxy_timeout: time('100s', { min: 1, max: 0 }),
  smtpd_recipient_limit: int(1000, { min: 1, max: 0 }),
  smtpd_recipient_overshoot_limit: int(1000, { min: 1, max: 0 }),
  smtpd_recipient_restrictions: str(''),
  smtpd_reject_footer: raw(''),
  smtpd_reject_footer_maps: str(''),
  smtpd_reject_unlisted_recipient: bool(true),
  smtpd_reject_unlisted_sender: bool(false),
  smtpd_relay_before_recipient_restrictions: nbool('${{$compatibility_level} <level {3.6} ? {no} : {yes}}'),
  smtpd_relay_restrictions: str('${{$compatibility_level} <level {1} ? {} : {permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination}}'),
  smtpd_restriction_classes: str(''),
  smtpd_sasl_auth_enable: bool(false),
  smtpd_sasl_authenticated_header: bool(false),
  smtpd_sasl_exceptions_networks: str(''),
  smtpd_sasl_local_domain: str(''),
  smtpd_sasl_mechanism_filter: str('!external, static:rest'),
  smtpd_sasl_path: str('smtpd', { min: 1, max: 0 }),
  smtpd_sasl_response_limit: int(12288, { min: 12288, max: 0 }),
  smtpd_sasl_security_options: str('noanonymous'),
  smtpd_sasl_service: str('smtp', { min: 1, max: 0 }),
  smtpd_sasl_tls_security_options: str('$smtpd_sasl_security_options'),
  smtpd_sasl_type: str('cyrus', { min: 1, max: 0 }),
  smtpd_sender_login_maps: str(''),
  smtpd_sender_restrictions: str(''),
  smtpd_service_name: str('smtpd', { min: 1, max: 0 }),
  smtpd_soft_error_limit: nint('10'),
  smtpd_starttls_timeout: time('${stress?{10}:{300}}s', { min: 1, max: 0 }),
  smtpd_timeout: time('${stress?{10}:{300}}s', { min: 1, max: 0 }),
  smtpd_tls_CAfile: str(''),
  smtpd_tls_CApath: str(''),
  smtpd_tls_always_issue_session_ids: bool(true),
  smtpd_tls_ask_ccert: bool(false),
  smtpd_tls_auth_only: bool(false),
  smtpd_tls_ccert_verifydepth: int(9),
  smtpd_tls_cert_file: str(''),
  smtpd_tls_chain_files: str(''),
  smtpd_tls_ciphers: str('medium', { min: 1, max: 0 }),
  smtpd_tls_dcert_file: str(''),
  smtpd_tls_dh1024_param_file: str(''),
  smtpd_tls_dh512_param_file: str(''),
  smtpd_tls_dkey_file: str('$smtpd_tls_dcert_file'),
  smtpd_tls_eccert_file: str(''),
  smtpd_tls_eckey_file: str('$smtpd_tls_eccert_file'),
  smtpd_tls_eecdh_grade: str('auto', { min: 1, max: 0 }),
  smtpd_tls_exclude_ciphers: str(''),
  smtpd_tls_fingerprint_digest: str('${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}', { min: 1, max: 0 }),
  smtpd_tls_key_file: str('$smtpd_tls_cert_file'),
  smtpd_tls_loglevel: str('0'),
  smtpd_tls_mandatory_ciphers: str('medium', { min: 1, max: 0 }),
  smtpd_tls_mandatory_exclude_ciphers: str(''),
  smtpd_tls_mandatory_protocols: str('>=TLSv1'),
  smtpd_tls_protocols: str('>=TLSv1'),
  smtpd_tls_received_header: bool(false),
  smtpd_tls_req_ccert: bool(false),
  smtpd_tls_security_level: str(''),
  smtpd_tls_session_cache_database: str(''),
  smtpd_tls_session_cache_timeout: time('3600s', { min: 0, max: 8640000 }),
  smtpd_tls_wrappermode: bool(false),
  smtpd_upstream_proxy_protocol: str(''),
  smtpd_upstream_proxy_timeout: time('5s', { min: 1, max: 0 }),
  smtpd_use_tls: bool(false),
  smtputf8_autodetect_classes: str('sendmail, verify', { min: 1, max: 0 }),
  smtputf8_enable: nbool('${{$compatibility_level} <level {1} ? {no} : {yes}}'),
  soft_bounce: bool(false),
  stale_lock_time: time('500s', { min: 1, max: 0 }),
  stress: str(''),
  strict_7bit_headers: bool(false),
  strict_8bitmime: bool(false),
  strict_8bitmime_body: bool(false),
  strict_mailbox_ownership: bool(true),
  strict_mime_encoding_domain: bool(false),
  strict_rfc821_envelopes: bool(false),
  strict_smtputf8: bool(false),
  sun_mailtool_compatibility: bool(false),
  swap_bangpath: bool(true),
  syslog_facility: str('mail', { min: 1, max: 0 }),
  syslog_name: str('${multi_instance_name?{$multi_instance_name}:{postfix}}', { min: 1, max: 0 }),
  tcp_windowsize: int(0),
  tls_append_default_CA: bool(false),
  tls_config_file: str('default'),
  tls_config_name: str(''),
  tls_daemon_random_bytes: int(32, { min: 1, max: 0 }),
  tls_dane_digests: str('sha512 sha256', { min: 1, max: 0 }),
  tls_disable_workarounds: str(''),
  tls_eecdh_auto_curves: str('X25519 X448 prime256v1 secp521r1 secp384r1', { min: 1, max: 0 }),
  tls_eecdh_strong_curve: str('prime256v1', { min: 1, max: 0 }),
  tls_eecdh_ultra_curve: str('secp384r1', { min: 1, max: 0 }),
  tls_export_cipherlist: str('aNULL:-aNULL:HIGH:MEDIUM:LOW:EXPORT:+RC4:@STRENGTH', { min: 1, max: 0 }),
  tls_fast_shutdown_enable: bool(true),
  tls_high_cipherlist: str('aNULL:-aNULL:HIGH:@STRENGTH', { min: 1, max: 0 }),
  tls_legacy_public_key_fingerprints: bool(false),
  tls_low_cipherlist: str('aNULL:-aNULL:HIGH:MEDIUM:LOW:+RC4:@STRENGTH', { min: 1, max: 0 }),
  tls_medium_cipherlist: str('aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH', { min: 1, max: 0 }),
  tls_null_cipherlist: str('eNULL:!aNULL', { min: 1, max: 0 }),
  tls_preempt_cipherlist: bool(false),
  tls_random_bytes: int(32, { min: 1, max: 0 }),
  tls_random_exchange_name: str('${data_directory}/prng_exch'),
  tls_random_prng_update_period: time('3600s', { min: 1, max: 0 }),
  tls_random_reseed_period: time('3600s', { min: 1, max: 0 }),
  tls_random_source: str('dev:/dev/urandom'),
  tls_server_sni_maps: str(''),
  tls_session_ticket_cipher: str('aes-256-cbc'),
  tls_ssl_options: str(''),
  tls_wildcard_matches_multiple_labels: bool(true),
  tlsmgr_service_name: str('tlsmgr', { min: 1, max: 0 }),
  tlsproxy_client_CAfile: str('$smtp_tls_CAfile'),
  tlsproxy_client_CApath: str('$smtp_tls_CApath'),
  tlsproxy_client_cert_file: str('$smtp_tls_cert_file'),
  tlsproxy_client_chain_files: str('$smtp_tls_chain_files'),
  tlsproxy_client_dcert_file: str('$smtp_tls_dcert_file'),
  tlsproxy_client_dkey_file: str('$smtp_tls_dkey_file'),
  tlsproxy_client_eccert_file: str('$smtp_tls_eccert_file'),
  tlsproxy_client_eckey_file: str('$smtp_tls_eckey_file'),
  tlsproxy_client_enforce_tls: nbool('$smtp_enforce_tls'),
  tlsproxy_client_fingerprint_digest: str('$smtp_tls_fingerprint_digest', { min: 1, max: 0 }),
  tlsproxy_client_key_file: str('$smtp_tls_key_file'),
  tlsproxy_client_loglevel: str('$smtp_tls_loglevel'),
  tlsproxy_client_loglevel_parameter: str('smtp_tls_loglevel'),
  tlsproxy_client_per_site: str('$smtp_tls_per_site'),
  tlsproxy_client_policy_maps: str('${tlsproxy_client_policy:$smtp_tls_policy_maps}'),
  tlsproxy_client_scert_verifydepth: nint('$smtp_tls_scert_verifydepth'),
  tlsproxy_client_security_level: str('${tlsproxy_client_level:$smtp_tls_security_level}'),
  tlsproxy_client_use_tls: nbool('$smtp_use_tls'),
  tlsproxy_enforce_tls: nbool('$smtpd_enforce_tls'),
  tlsproxy_service_name: str('tlsproxy', { min: 1, max: 0 }),
  tlsproxy_tls_CAfile: str('$smtpd_tls_CAfile'),
  tlsproxy_tls_CApath: str('$smtpd_tls_CApath'),
  tlsproxy_tls_always_issue_session_ids: nbool('$smtpd_tls_always_issue_session_ids'),
  tlsproxy_tls_ask_ccert: nbool('$smtpd_tls_ask_ccert'),
  tlsproxy_tls_ccert_verifydepth: nint('$smtpd_tls_ccert_verifydepth'),
  tlsproxy_tls_cert_file: str('$smtpd_tls_cert_file'),
  tlsproxy_tls_chain_files: str('$smtpd_tls_chain_files'),
  tlsproxy_tls_ciphers: str('$smtpd_tls_ciphers', { min: 1, max: 0 }),
  tlsproxy_tls_dcert_file: str('$smtpd_tls_dcert_file'),
  tlsproxy_tls_dh1024_param_file: str('$smtpd_tls_dh1024_param_file'),
  tlsproxy_tls_dh512_param_file: str('$smtpd_tls_dh512_param_file'),
  tlsproxy_tls_dkey_file: str('$smtpd_tls_dkey_file'),
  tlsproxy_tls_eccert_file: str('$smtpd_tls_eccert_file'),
  tlsproxy_tls_eckey_file: str('$smtpd_tls_eckey_file'),
  tlsproxy_tls_eecdh_grade: str('$smtpd_tls_eecdh_grade', { min: 1, max: 0 }),
  tlsproxy_tls_exclude_ciphers: str('$smtpd_tls_exclude_ciphers'),
  tlsproxy_tls_fingerprint_digest: str('$smtpd_tls_fingerprint_digest', { min: 1, max: 0 }),
  tlsproxy_tls_key_file: str('$smtpd_tls_key_file'),
  tlsproxy_tls_loglevel: str('$smtpd_tls_loglevel'),
  tlsproxy_tls_mandatory_ciphers: str('$smtpd_tls_mandatory_ciphers', { min: 1, max: 0 }),
  tlsproxy_tls_mandatory_exclude_ciphers: str('$smtpd_tls_mandatory_exclude_ciphers'),
  tlsproxy_tls_mandatory_protocols: str('$smtpd_tls_mandatory_protocols'),
  tlsproxy_tls_protocols: str('$smtpd_tls_protocols'),
  tlsproxy_tls_req_ccert: nbool('$smtpd_tls_req_ccert'),
  tlsproxy_tls_security_level: str('$smtpd_tls_security_level'),
  tlsproxy_use_tls: nbool('$smtpd_use_tls'),
  tlsproxy_watchdog_timeout: time('10s', { min: 10, max: 0 }),
  trace_service_name: str('trace', { min: 1, max: 0 }),
  transport_maps: str(''),
  transport_retry_time: time('60s', { min: 1, max: 0 }),
  trigger_timeout: time('10s', { min: 1, max: 0 }),
  undisclosed_recipients_header: str(''),
  unknown_address_reject_code: int(450),
  unknown_address_tempfail_action: str('$reject_tempfail_action', { min: 1, max: 0 }),
  unknown_client_reject_code: int(450),
  unknown_helo_hostname_tempfail_action: str('$reject_tempfail_action', { min: 1, max: 0 }),
  unknown_hostname_reject_code: int(450),
  unknown_local_recipient_reject_code: int(550),
  unknown_relay_recipient_reject_code: int(550),
  unknown_virtual_alias_reject_code: int(550),
  unknown_virtual_mailbox_reject_code: int(550),
  unverified_recipient_defer_code: int(450, { min: 200, max: 499 }),
  unverified_recipient_reject_code: int(450, { min: 200, max: 599 }),
  unverified_recipient_reject_reason: str(''),
  unverified_recipient_tempfail_action: str('$reject_tempfail_action', { min: 1, max: 0 }),
  unverified_sender_defer_code: int(450, { min: 200, max: 499 }),
  unverified_sender_reject_code: int(450, { min: 200, max: 599 }),
  unverified_sender_reject_reason: str(''),
  unverified_sender_tempfail_action: str('$reject_tempfail_action', { min: 1, max: 0 }),
  verp_delimiter_filter: str('-=+', { min: 1, max: 0 }),
  virtual_alias_address_length_limit: int(1000, { min: 1, max: 0 }),
  virtual_alias_domains: str('$virtual_alias_maps'),
  virtual_alias_expansion_limit: int(1000, { min: 1, max: 0 }),
  virtual_alias_maps: str('$virtual_maps'),
  virtual_alias_recursion_limit: int(1000, { min: 1, max: 0 }),
  virtual_delivery_status_filter: str('$default_delivery_status_filter'),
  virtual_gid_maps: str(''),
  virtual_mailbox_base: str('', { min: 1, max: 0 }),
  virtual_mailbox_domains: str('$virtual_mailbox_maps'),
  virtual_mailbox_limit: long(51200000),
  virtual_mailbox_lock: str('fcntl, dotlock', { min: 1, max: 0 }),
  virtual_mailbox_maps: str(''),
  virtual_minimum_uid: int(100, { min: 1, max: 0 }),
  virtual_transport: str('virtual', { min: 1, max: 0 }),
  virtual_uid_maps: str(''),
  // END GENERATED
} satisfies Record<string, ParamSpec>;

export type ParamName = keyof typeof MAIN_PARAMS;

/** Obsolete names postconf still knows (class "legacy", empty default). */
export const LEGACY_PARAMS: readonly string[] = [
  'virtual_maps', 'fallback_relay', 'authorized_verp_clients', 'smtpd_client_connection_limit_exceptions',
  'postscreen_dnsbl_ttl', 'postscreen_blacklist_action', 'postscreen_dnsbl_whitelist_threshold',
  'postscreen_whitelist_interfaces', 'lmtp_per_record_deadline', 'smtp_per_record_deadline',
  'smtpd_per_record_deadline', 'tlsproxy_client_level', 'tlsproxy_client_policy',
];

/** Per-process read-only names: process_name, service_name, process_id. */
export const VAR_PROCNAME = 'process_name';
export const VAR_SERVNAME = 'service_name';
export const VAR_PID = 'process_id';
export const VAR_CONFIG_DIR = 'config_directory';
export const VAR_REST_CLASSES = 'smtpd_restriction_classes';
export const VAR_BOUNCE_TMPL = 'bounce_template_file';
export const VAR_QUEUE_DIR = 'queue_directory';
export const VAR_DAEMON_DIR = 'daemon_directory';

/**
 * Suffixes of the per-service parameters postconf derives from master.cf: a service that
 * runs one of these delivery agents gets <service><suffix>, defaulting to $<parameter>.
 */
export const SERVICE_PARAM_SUFFIXES: readonly (readonly [string, string])[] = [
  ['_time_limit', 'command_time_limit'], // pipe and spawn only
  ['_recipient_limit', 'default_recipient_limit'],
  ['_extra_recipient_limit', 'default_extra_recipient_limit'],
  ['_recipient_refill_limit', 'default_recipient_refill_limit'],
  ['_recipient_refill_delay', 'default_recipient_refill_delay'],
  ['_delivery_slot_cost', 'default_delivery_slot_cost'],
  ['_delivery_slot_loan', 'default_delivery_slot_loan'],
  ['_delivery_slot_discount', 'default_delivery_slot_discount'],
  ['_minimum_delivery_slots', 'default_minimum_delivery_slots'],
  ['_initial_destination_concurrency', 'initial_destination_concurrency'],
  ['_destination_concurrency_limit', 'default_destination_concurrency_limit'],
  ['_destination_recipient_limit', 'default_destination_recipient_limit'],
  ['_destination_concurrency_positive_feedback', 'default_destination_concurrency_positive_feedback'],
  ['_destination_concurrency_negative_feedback', 'default_destination_concurrency_negative_feedback'],
  ['_destination_concurrency_failed_cohort_limit', 'default_destination_concurrency_failed_cohort_limit'],
  ['_destination_rate_delay', 'default_destination_rate_delay'],
  ['_transport_rate_delay', 'default_transport_rate_delay'],
];

/** Which delivery agents (master.cf command) get which of the suffixes above. */
export function serviceParamSuffixes(command: string): readonly (readonly [string, string])[] {
  switch (command) {
    case 'local': case 'error': case 'virtual': case 'smtp': case 'lmtp':
      return SERVICE_PARAM_SUFFIXES.slice(1);
    case 'pipe':
      return SERVICE_PARAM_SUFFIXES;
    case 'spawn':
      return SERVICE_PARAM_SUFFIXES.slice(0, 1);
    default:
      return [];
  }
}
