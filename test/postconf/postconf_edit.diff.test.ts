/*
 * postconf edits, ours against the reference: the bytes of main.cf and master.cf after
 * -e, -X, -# alone and with -M, -F, -P, plus the diagnostics for bad edit requests.
 */
import test from 'ava';
import { postconfCase } from './_compare.js';
import { DEBIAN, EDITED, STOCK } from './_configs.js';

const DUPLICATES = {
  'main.cf': '# header\nmyhostname = a.example\n  continued\nrelayhost = x\n# between\nmyhostname = b.example\n\tmore\n   # indented comment\nlast = 1',
  'master.cf': '',
};

test('-e changes a stock setting and appends new ones', postconfCase, { files: STOCK, args: ['-e', 'myhostname=mail.example.com', 'inet_interfaces = loopback-only', 'relayhost=[relay.example]:587'] });
test('name=value without -e edits main.cf', postconfCase, { files: DEBIAN, args: ['myhostname = host.example', 'mydestination=$myhostname, localhost'] });
test('-e replaces continued entries and warns about duplicates', postconfCase, { files: DUPLICATES, args: ['-e', 'myhostname=c.example'] });
test('-e on a file without a final newline', postconfCase, { files: DUPLICATES, args: ['-e', 'last=2', 'new_one=x'] });
test('-e with many new settings keeps Postfix\'s order', postconfCase, { files: { 'main.cf': '', 'master.cf': '' }, args: ['-e', ...'abcdefghijklmnopq'.split('').map((c, i) => `param_${c}=${i}`)] });
test('-e with the same name twice', postconfCase, { files: STOCK, args: ['-e', 'myhostname=a', 'myhostname=b'] });
test('-e with an empty value', postconfCase, { files: EDITED, args: ['-e', 'relay_domains='] });
test('-X removes settings with their continuation lines', postconfCase, { files: EDITED, args: ['-X', 'mydestination', 'not_used', 'nonexistent '] });
test('-# comments settings out', postconfCase, { files: DUPLICATES, args: ['-#', 'myhostname', 'last'] });
test('-X with a value', postconfCase, { files: STOCK, args: ['-X', 'a=b'] });
test('-X with a blank name', postconfCase, { files: STOCK, args: ['-X', '  '] });
test('-e with a comment', postconfCase, { files: STOCK, args: ['-e', '  # a=b'] });
test('-e with a newline', postconfCase, { files: STOCK, args: ['-e', 'a=b\nc=d'] });
test('-e without "="', postconfCase, { files: STOCK, args: ['-e', 'justaname'] });
test('-e with a missing main.cf', postconfCase, { files: { 'master.cf': '' }, args: ['-e', 'a=b'] });
test('-X without names', postconfCase, { files: STOCK, args: ['-X'] });
test('-Me replaces an entry', postconfCase, { files: STOCK, args: ['-Me', 'smtp/inet=smtp inet n - y - - smtpd -o smtpd_tls_security_level=may'] });
test('-Me adds an entry', postconfCase, { files: STOCK, args: ['-Me', 'submission/inet=submission inet n - y - - smtpd -o syslog_name=postfix/submission -o { smtpd_client_restrictions = permit_sasl_authenticated, reject }'] });
test('-Me with a new name in the value renames', postconfCase, { files: STOCK, args: ['-Me', 'smtp/inet=2525 inet n - y - - smtpd'] });
test('-Me with a bad entry', postconfCase, { files: STOCK, args: ['-Me', 'smtp/inet=smtp inet n'] });
test('-Me without service/type', postconfCase, { files: STOCK, args: ['-Me', 'smtp=smtp inet n - y - - smtpd'] });
test('-MX removes entries with their continuation lines', postconfCase, { files: EDITED, args: ['-MX', 'smtp/inet', 'mydeliver/unix', 'nothing/unix'] });
test('-M# comments entries out', postconfCase, { files: EDITED, args: ['-M#', 'submission/inet', 'relay/unix'] });
test('-Fe changes a field', postconfCase, { files: EDITED, args: ['-Fe', 'smtp/inet/chroot=n', 'pickup/unix/wakeup=30', 'nothing/unix/chroot=y'] });
test('-Fe changes a command', postconfCase, { files: EDITED, args: ['-Fe', 'mydeliver/unix/command=pipe flags=R user=mail argv=/bin/cat { -x y }'] });
test('-Fe with an invalid value', postconfCase, { files: EDITED, args: ['-Fe', 'smtp/inet/private=maybe'] });
test('-Fe with white space in a plain field', postconfCase, { files: EDITED, args: ['-Fe', 'smtp/inet/chroot=y n'] });
test('-Fe with a wild-card field', postconfCase, { files: EDITED, args: ['-Fe', 'smtp/inet/*=y'] });
test('-Pe adds and replaces -o settings', postconfCase, { files: EDITED, args: ['-Pe', 'smtp/inet/smtpd_tls_security_level=encrypt', 'pickup/unix/content_filter=scan:127.0.0.1:10025', 'relay/unix/smtp_fallback_relay=backup.example'] });
test('-PX removes -o settings', postconfCase, { files: EDITED, args: ['-PX', 'smtp/inet/master_unused', 'submission/inet/syslog_name', 'smtp/inet/nothing'] });
test('-Pe with white space in the value', postconfCase, { files: EDITED, args: ['-Pe', 'smtp/inet/a=b c'] });
test('-Pe with a wild-card parameter', postconfCase, { files: EDITED, args: ['-Pe', 'smtp/inet/*=x'] });
test('-Pe on a service that does not exist', postconfCase, { files: EDITED, args: ['-Pe', 'nothing/inet/a=b'] });
test('-M edits with a comment or a newline', postconfCase, { files: STOCK, args: ['-MX', '# smtp/inet'] });
test('-MX with a value', postconfCase, { files: STOCK, args: ['-MX', 'smtp/inet=x'] });
test('master.cf edits of a file with a service name alone on a line', postconfCase, { files: { 'main.cf': '', 'master.cf': 'smtp\n  inet n - n - - smtpd\n' }, args: ['-MX', 'smtp/inet'] });
test('-e when main.cf is a directory', postconfCase, { files: { 'master.cf': '' }, dirs: ['main.cf'], args: ['-e', 'a=b'] });
test('-Me when master.cf is a directory', postconfCase, { files: { 'main.cf': '' }, dirs: ['master.cf'], args: ['-Me', 'a/unix=a unix - - n - - smtp'] });
test('-e where <file>.tmp cannot be created', postconfCase, { files: {}, args: ['-c', '/proc', '-e', 'a=b'] });
test('-Me where the directory is not a directory', postconfCase, { files: {}, args: ['-c', '/dev/null/x', '-Me', 'a/unix=a unix - - n - - smtp'] });
