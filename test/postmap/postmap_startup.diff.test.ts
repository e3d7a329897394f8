/*
 * The main.cf checks that postmap and postalias make before anything else (Postfix's
 * mail_params_init()): bad values of the general parameters, host names, users and
 * groups, inet_interfaces, and the cross-parameter rules; with two bad settings, the one
 * checked first wins. Ours against the reference, on the same main.cf.
 */
import test from 'ava';
import { requireRoot } from '../helpers/diff.js';
import { sameResult, tableDir } from './_tables.js';

const SETTINGS = [
  'compatibility_level = abc',
  'compatibility_level = 3.6.1.1',
  'syslog_facility = nosuch',
  'inet_protocols = ipv5',
  'inet_protocols = ipv4, all',
  'known_tcp_ports = smtp=25, bogus',
  'known_tcp_ports = 25=smtp, a=b=x y, =1, c=, d e=2, f=1, f=2, g = h = 3',
  'myhostname = bad..name',
  'myhostname =',
  'myhostname = 12345',
  'myhostname = x.example-',
  'myhostname = a_b.example',
  `myhostname = ${'a'.repeat(64)}.example`,
  'myhostname = caf\xe9.example',
  'mydomain = -bad',
  'mail_owner = nosuchuser',
  'mail_owner = root',
  'mail_owner = nobody',
  'setgid_group = nosuchgroup',
  'setgid_group = root',
  'default_privs = postfix',
  'default_privs = daemon\nmail_owner = daemon',
  'line_length_limit = 100',
  'line_length_limit = abc',
  'header_size_limit = 0',
  'message_size_limit = 99999999999999999999',
  'lmdb_map_size = 0',
  'ipc_timeout = 5x',
  'ipc_timeout = 0',
  'in_flow_delay = 11s',
  'disable_dns_lookups = maybe',
  'smtputf8_enable = maybe',
  'mynetworks_style = bogus',
  'mynetworks_style = host, subnet',
  'inet_interfaces = 192.0.2.77',
  'inet_interfaces = bogus.invalid',
  'mynetworks = 10.0.0.0/8\ninet_interfaces = 192.0.2.77',
  'myhostname = mail.example.com\nrelayhost = MAIL.example.COM',
  'myorigin = a b',
  'myorigin = a,b',
  'verp_delimiter_filter =',
  'default_verp_delimiters = +',
  'default_verp_delimiters = ab',
  'mail_version =',
  'default_database_type =',
  'delay_logging_resolution_limit = 7',
  // Two bad settings: the order of the checks decides which one is reported.
  'line_length_limit = 1\nmail_owner = nosuchuser',
  'mail_owner = nosuchuser\ndefault_privs = nosuchuser2',
  'ipc_timeout = 0\nmessage_size_limit = x',
  'myorigin = a b\nrelayhost = $myhostname',
  'mynetworks_style = bogus\nmail_owner = root',
];

// postalias shares the code: a sample of the settings is enough there.
for (const [program, settings] of [['postmap', SETTINGS], ['postalias', SETTINGS.filter((_, i) => i % 6 === 0)]] as const) {
  test(`${program}: main.cf start-up checks`, async (t) => {
    if (!requireRoot(t)) return;
    await Promise.all(settings.map((setting) => {
      const tables = tableDir(t, `${setting}\n`);
      return sameResult(t, tables, program, ['-q', 'x', 'static:y']);
    }));
  });
}
