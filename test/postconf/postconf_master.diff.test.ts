/*
 * postconf master.cf modes, ours against the reference: -M, -F and -P with and without
 * service patterns, -f, -x, -h, -H, unmatched requests, and broken master.cf files.
 */
import test from 'ava';
import { postconfCase } from './_compare.js';
import { EDITED, STOCK } from './_configs.js';

const withMaster = (master: string) => ({ 'main.cf': '', 'master.cf': master });

test('-M on the stock master.cf', postconfCase, { files: STOCK, args: ['-M'] });
test('-Mf folds the stock master.cf', postconfCase, { files: STOCK, args: ['-Mf'] });
test('-M on an edited master.cf', postconfCase, { files: EDITED, args: ['-M'] });
test('-Mf on an edited master.cf', postconfCase, { files: EDITED, args: ['-Mf'] });
test('-Mx expands -o values', postconfCase, { files: EDITED, args: ['-Mx'] });
test('-M with service patterns', postconfCase, { files: EDITED, args: ['-M', 'smtp/inet', 'pickup', '*/unix', 'nothing/inet'] });
test('-M with a bad pattern', postconfCase, { files: EDITED, args: ['-M', '/inet'] });
test('-M with a wild-card inside a name', postconfCase, { files: EDITED, args: ['-M', 'sm*/inet'] });
test('-F on the stock master.cf', postconfCase, { files: STOCK, args: ['-F'] });
test('-F with field patterns', postconfCase, { files: EDITED, args: ['-F', 'smtp/inet/command', '*/*/chroot', 'mydeliver/unix/*', 'qmgr/unix/wakeup'] });
test('-F with an unknown field name', postconfCase, { files: EDITED, args: ['-F', 'smtp/inet/bogus'] });
test('-Fh and -FH', postconfCase, { files: EDITED, args: ['-Fh', 'smtp/inet/command', 'pickup/unix/wakeup'] });
test('-FH prints names', postconfCase, { files: EDITED, args: ['-FH'] });
test('-Ff folds long commands', postconfCase, { files: EDITED, args: ['-Ff', '*/*/command'] });
test('-P on an edited master.cf', postconfCase, { files: EDITED, args: ['-P'] });
test('-Px expands values in the service scope', postconfCase, { files: EDITED, args: ['-Px'] });
test('-P with patterns, -h', postconfCase, { files: EDITED, args: ['-Ph', 'smtp/inet/smtpd_helo_required', '*/*/syslog_name', 'smtp/inet/nothing'] });
test('-PH prints names only', postconfCase, { files: EDITED, args: ['-PH'] });
test('-P with a bad pattern', postconfCase, { files: EDITED, args: ['-P', 'smtp'] });
test('-M with a missing master.cf', postconfCase, { files: { 'main.cf': '' }, args: ['-M'] });
test('-M with -n', postconfCase, { files: EDITED, args: ['-M', '-n'] });
test('master.cf with too few fields', postconfCase, { files: withMaster('smtp inet n - n - -\n'), args: ['-M'] });
test('master.cf with an invalid type', postconfCase, { files: withMaster('smtp tcp n - n - - smtpd\n'), args: ['-M'] });
test('master.cf with an invalid private field', postconfCase, { files: withMaster('smtp inet x - n - - smtpd\n'), args: ['-M'] });
test('master.cf with an invalid wakeup field', postconfCase, { files: withMaster('pickup unix n - n 6x 1 pickup\n'), args: ['-M'] });
test('master.cf with an invalid process limit', postconfCase, { files: withMaster('pickup unix n - n 60 one pickup\n'), args: ['-M'] });
test('master.cf with broken braces', postconfCase, { files: withMaster('smtp inet n - n - - smtpd -o { a = b\nx unix - - n - - pipe argv={ x }y\n'), args: ['-M'] });
test('master.cf -o without "="', postconfCase, { files: withMaster('smtp inet n - n - - smtpd -o { novalue }\n'), args: ['-MP'] });
test('master.cf option clusters and "--"', postconfCase, { files: withMaster('smtp inet n - n - - smtpd -vvo a=b -D -- -o c=d\n'), args: ['-M'] });
test('unused master.cf parameters with -n', postconfCase, { files: EDITED, args: ['-n'] });
test('read-only names set with -o in master.cf', postconfCase, { files: withMaster('smtp inet n - n - - smtpd -o process_name=x -o service_name=y -o process_id=1\n'), args: ['-Px'] });
test('-Px sees the service\'s process_name and service_name', postconfCase, { files: withMaster('relay unix - - n - - smtp -o syslog_name=$service_name/$process_name\n'), args: ['-Px'] });
test('the same service name and type twice', postconfCase, { files: withMaster('smtp inet n - n - - smtpd -o a=1\nsmtp inet n - n - - smtpd -o a=2\n'), args: ['-P'] });
test('-vP logs names validated in master.cf', postconfCase, { files: EDITED, args: ['-vP'] });
test('database clients named in master.cf -o values', postconfCase, {
  files: { 'main.cf': 'srv_server_host = x\n', 'master.cf': 'smtp inet n - n - - smtpd -o alias_maps=ldap:srv -o { virtual_alias_maps = proxy:mysql:{my sql}, {ldap:{x} } } -o srv_bind=no -o other=1\n' },
  args: ['-Px'],
});
test('-Mx with -o overrides from the command line', postconfCase, { files: EDITED, args: ['-Mx', '-o', 'helo_setting=no', '-o', 'sender=x', 'smtp/inet', 'mydeliver/unix'] });
test('-F with -o and -x', postconfCase, { files: EDITED, args: ['-Fx', '-o', 'mail_name=Other', 'smtp/inet/command'] });
