/*
 * _configs - configuration files for the postconf differential tests: Postfix's stock
 * files, Debian's main.cf, a heavily edited pair and a few broken ones. Expected output
 * never lives here; every case is compared with the reference at run time.
 */
import { stockFile } from './_compare.js';

export const STOCK = { 'main.cf': stockFile('main.cf.dist'), 'master.cf': stockFile('master.cf.dist') };
export const DEBIAN = { 'main.cf': stockFile('main.cf.debian'), 'master.cf': stockFile('master.cf.dist') };
export const EMPTY = { 'main.cf': '', 'master.cf': '' };

/** main.cf with continuation lines, comments inside entries, overrides, and $name forms. */
export const EDITED_MAIN = `# edited by hand
myhostname = mail.example.com
mydomain = example.com
mydestination = $myhostname, localhost.$mydomain,
    localhost,
# a comment between continuation lines

	$mydomain
relayhost = [smtp.example.net]:587
relayhost = [smtp.example.org]:587
smtpd_restriction_classes = my_class, other_class
my_class = check_client_access hash:/etc/postfix/clients
other_class = permit
not_used = something
user_var = hello
greeting = \${user_var?{yes: $user_var}:{no}} \${undefined_name:fallback} $(user_var)
compat = \${{$compatibility_level} <level {3.6} ? {old} : {new}}
cmp = \${{10} < {9} ? {numeric-wrong} : {numeric-right}} \${{abc} == {abc}?{same}}
process_id = 12345
virtual_maps = hash:/etc/postfix/virtual
alias_maps = hash:/etc/aliases, ldap:ldapsource, proxy:mysql:sqlsource
ldapsource_server_host = ldap.example.com
ldapsource_bogus = 1
sqlsource_hosts = db.example.com
smtpd_banner = $myhostname ESMTP $mail_name ($mail_version) \${stress?{under stress}}
long_list = aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbb cccccccccccccccccccc dddddddddddddddddddd eeeeeeeeeeeeeeeeeeeee fffffffffffffffffffff
mailbox_command = /usr/bin/procmail -a "$EXTENSION"
compatibility_level = 3.6
`;

/** master.cf with -o forms, braces, continuation lines, and delivery services. */
export const EDITED_MASTER = `# service type  private unpriv  chroot  wakeup  maxproc command + args
smtp      inet  n       -       y       -       -       smtpd
  -o smtpd_tls_security_level=may
  -o { smtpd_client_restrictions = permit_mynetworks, reject }
  -o smtpd_helo_required=$helo_setting
  -o helo_setting=yes
  -o master_unused=1
submission inet n       -       y       -       -       smtpd -vo syslog_name=postfix/submission
  -o smtpd_recipient_restrictions=my_class
pickup    unix  n       -       y       60      1       pickup
cleanup   unix  n       -       y       -       0       cleanup
qmgr      unix  n       -       n       300?    1       qmgr
relay     unix  -       -       y       -       -       smtp
  -o smtp_fallback_relay=
local     unix  -       n       n       -       -       local
mydeliver unix  -       n       n       -       -       pipe
  flags=FR user=nobody argv=/usr/bin/deliver { -a $sender } \${recipient}
myspawn   unix  -       n       n       -       -       spawn user=nobody argv=/bin/true
lmtp      unix  -       -       y       -       -       lmtp
`;

export const EDITED = { 'main.cf': EDITED_MAIN, 'master.cf': EDITED_MASTER };
