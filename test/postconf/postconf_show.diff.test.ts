/*
 * postconf main.cf modes, ours against the reference: -d, -n, -x, -h, -H, -f, -C, -o,
 * named parameters, unknown names, unused and undefined parameter warnings, user-defined
 * and database-client parameters, and option conflicts.
 */
import test from 'ava';
import { postconfCase } from './_compare.js';
import { DEBIAN, EDITED, EDITED_MAIN, EMPTY, STOCK } from './_configs.js';

test('-d on an empty configuration: every parameter and default', postconfCase, { files: EMPTY, args: ['-d'] });
test('-d with the stock master.cf adds service parameters', postconfCase, { files: STOCK, args: ['-d'] });
test('-d with delivery services of every kind', postconfCase, { files: EDITED, args: ['-d'] });
test('-d with named parameters', postconfCase, { files: STOCK, args: ['-d', 'myhostname', 'mydomain', 'mynetworks', 'inet_interfaces', 'mail_version', 'config_directory'] });
test('-dx expands defaults', postconfCase, { files: STOCK, args: ['-dx'] });
test('-n on the stock main.cf', postconfCase, { files: STOCK, args: ['-n'] });
test('-n on Debian\'s main.cf', postconfCase, { files: DEBIAN, args: ['-n'] });
test('all parameters on the stock configuration', postconfCase, { files: STOCK, args: [] });
test('-x on the stock configuration', postconfCase, { files: STOCK, args: ['-x'] });
test('-nx on Debian\'s main.cf', postconfCase, { files: DEBIAN, args: ['-nx'] });
test('-n on an edited main.cf: warnings for unused, undefined and read-only', postconfCase, { files: EDITED, args: ['-n'] });
test('-nx on an edited main.cf: every expansion form', postconfCase, { files: EDITED, args: ['-nx'] });
test('all parameters, expanded, on an edited configuration', postconfCase, { files: EDITED, args: ['-x'] });
test('named user-defined and built-in parameters', postconfCase, { files: EDITED, args: ['-x', 'greeting', 'compat', 'cmp', 'mydestination', 'smtpd_banner', 'relayhost'] });
test('-h prints values only', postconfCase, { files: EDITED, args: ['-h', 'myhostname', 'mydestination', 'nonexistent'] });
test('-H prints names only', postconfCase, { files: EDITED, args: ['-nH'] });
test('-f folds long lines', postconfCase, { files: EDITED, args: ['-nf'] });
test('-df folds long defaults', postconfCase, { files: EMPTY, args: ['-df'] });
test('-C builtin', postconfCase, { files: EDITED, args: ['-C', 'builtin', '-n'] });
test('-C user', postconfCase, { files: EDITED, args: ['-C', 'user'] });
test('-C service with -d', postconfCase, { files: EDITED, args: ['-C', 'service', '-d'] });
test('-C with two classes, any case', postconfCase, { files: EDITED, args: ['-C', 'USER,service', '-n'] });
test('-C with an unknown class', postconfCase, { files: EDITED, args: ['-C', 'builtin,bogus'] });
test('-o overrides main.cf', postconfCase, { files: EDITED, args: ['-o', 'myhostname=other.example', '-o', 'user_var=bye', '-x', 'myorigin', 'greeting', 'myhostname'] });
test('-o without a value', postconfCase, { files: STOCK, args: ['-o', 'myhostname', 'myhostname'] });
test('unknown parameter names', postconfCase, { files: STOCK, args: ['foo', 'myorigin', 'bar_baz'] });
test('restriction classes make their names valid', postconfCase, { files: { 'main.cf': 'smtpd_restriction_classes = foo bar\nfoo = yes\nbar = $baz\nbaz = 1\nqux = 2\n', 'master.cf': '' }, args: ['-n'] });
test('legacy and database-client parameters', postconfCase, { files: EDITED, args: ['virtual_maps', 'ldapsource_server_host', 'ldapsource_bogus', 'sqlsource_hosts', 'fallback_relay'] });
test('a database client file with unknown names', postconfCase, {
  files: { 'main.cf': 'alias_maps = ldap:$config_directory/ldap.cf, mysql:/nonexistent/my.cf\n', 'master.cf': '', 'ldap.cf': 'server_host = x\nbogus_name = 1\nsearch_base = dc=x\n' },
  args: ['-n'],
});
test('main.cf is missing', postconfCase, { files: { 'master.cf': '' }, args: ['-n'] });
test('master.cf is missing', postconfCase, { files: { 'main.cf': 'myhostname = a.example\n' }, args: ['-n'] });
test('main.cf line without "="', postconfCase, { files: { 'main.cf': 'myhostname = x\nthis is wrong\n', 'master.cf': '' }, args: ['-n'] });
test('main.cf line without a name', postconfCase, { files: { 'main.cf': ' \n= value\n', 'master.cf': '' }, args: ['-n'] });
test('main.cf starting with an indented line', postconfCase, { files: { 'main.cf': '  indented = 1\nmyhostname = x\n', 'master.cf': '' }, args: ['-n'] });
test('main.cf without a final newline, CR characters', postconfCase, { files: { 'main.cf': 'a = 1\r\nmyhostname = x.example\r\nb = $a', 'master.cf': '' }, args: ['-nx'] });
test('truncated macro reference', postconfCase, { files: { 'main.cf': 'myorigin = ${myhostname\n', 'master.cf': '' }, args: ['-x', 'myorigin'] });
test('empty macro name', postconfCase, { files: { 'main.cf': 'myorigin = a $ b\n', 'master.cf': '' }, args: ['-x', 'myorigin'] });
test('bad relational operator', postconfCase, { files: { 'main.cf': 'myorigin = ${{a} ~= {b}?x}\n', 'master.cf': '' }, args: ['-x', 'myorigin'] });
test('bad operator suffix and bad level', postconfCase, { files: { 'main.cf': 'myorigin = ${{1} <lev {2}?x}\nmydomain = ${{1.x} <level {2}?x}\n', 'master.cf': '' }, args: ['-x', 'mydomain'] });
test('unbalanced braces and missing ":"', postconfCase, { files: { 'main.cf': 'myorigin = ${a?{x}y}\nmydomain = ${{a} == {a}?{b\n', 'master.cf': '' }, args: ['-x', 'myorigin'] });
test('attribute name syntax error', postconfCase, { files: { 'main.cf': 'myorigin = ${my-host}\n', 'master.cf': '' }, args: ['-x', 'myorigin'] });
test('recursion without end', postconfCase, { files: { 'main.cf': 'a = $b\nb = $a\nmyorigin = $a\n', 'master.cf': '' }, args: ['-x', 'myorigin'] });
test('conditional expansion forms', postconfCase, {
  files: { 'main.cf': 'e =\nv = val\nmyorigin = [${v?yes}] [${v:no}] [${e?yes}] [${e:no}] [${nothing?{a}:{b}}] [${v ? {a} : {b}}] $$v\n', 'master.cf': '' },
  args: ['-x', 'myorigin'],
});
test('comparison forms', postconfCase, {
  files: { 'main.cf': 'myorigin = ${{2} == {02}?eq:ne} ${{b} > {a}?gt} ${{3.6} <level {3.10}?lt} ${{x} != {x}?{ne}:{eq}} ${{1} <= {1}} ${{9} >= {10}?a:b}\n', 'master.cf': '' },
  args: ['-x', 'myorigin'],
});
test('Debian compatibility level changes defaults', postconfCase, { files: DEBIAN, args: ['-x', 'smtputf8_enable', 'append_dot_mydomain', 'mynetworks_style', 'mynetworks', 'smtpd_relay_before_recipient_restrictions'] });
test('mynetworks_style host and class', postconfCase, { files: { 'main.cf': 'mynetworks_style = host\n', 'master.cf': '' }, args: ['mynetworks'] });
test('-d and -n together', postconfCase, { files: STOCK, args: ['-d', '-n'] });
test('-h and -H together', postconfCase, { files: STOCK, args: ['-h', '-H'] });
test('-b and -t together', postconfCase, { files: STOCK, args: ['-b', '-t'] });
test('-x with -e', postconfCase, { files: STOCK, args: ['-x', '-e', 'a=b'] });
test('-T twice', postconfCase, { files: STOCK, args: ['-T', 'run-version', '-T', 'run-version'] });
test('-T with an unknown mode', postconfCase, { files: STOCK, args: ['-T', 'bogus'] });
test('-l lists lock methods', postconfCase, { files: STOCK, args: ['-l'] });
test('-l with -n', postconfCase, { files: STOCK, args: ['-l', '-n'] });
test('-b with two template files', postconfCase, { files: STOCK, args: ['-b', 'a', 'b'] });
test('edited main.cf with -n and a missing master.cf', postconfCase, { files: { 'main.cf': EDITED_MAIN }, args: ['-n'] });
// Postfix reads a main.cf changed within the last second again (and so do we): more warnings.
test('later main.cf entries override earlier ones', postconfCase, { files: { 'main.cf': 'myhostname = a.example\nmyhostname = b.example\nmyhostname = a.example\n', 'master.cf': '' }, args: ['-n'] });
for (const [name, main] of [
  ['loopback-only', 'inet_interfaces = loopback-only\n'],
  ['explicit addresses', 'inet_interfaces = 127.0.0.1, 192.0.2.2\n'],
  ['an address that is not local', 'inet_interfaces = 10.9.9.9\n'],
  ['IPv6 only', 'inet_protocols = ipv6\n'],
  ['class style', 'mynetworks_style = class\n'],
  ['a bad style', 'mynetworks_style = subnet, host\n'],
]) {
  test(`mynetworks from inet_interfaces and friends: ${name}`, postconfCase, { files: { 'main.cf': main!, 'master.cf': '' }, args: ['mynetworks'] });
}
test('bytes outside ASCII in values and warnings', postconfCase, { files: { 'main.cf': 'myhostname = h\xe9te.example\nunused_\xff = caf\xe9\x01\n', 'master.cf': '' }, args: ['-n'] });
test('main.cf is a directory', postconfCase, { files: { 'master.cf': '' }, dirs: ['main.cf'], args: ['-n'] });
test('master.cf is a directory', postconfCase, { files: { 'main.cf': '' }, dirs: ['master.cf'], args: ['-n'] });
test('master.cf is a directory, with -M', postconfCase, { files: { 'main.cf': '' }, dirs: ['master.cf'], args: ['-M'] });
test('the configuration directory does not exist', postconfCase, { files: {}, args: ['-c', 'nonexistent', '-n'] });
test('-d ignores a broken main.cf', postconfCase, { files: { 'main.cf': 'garbage\n', 'master.cf': 'garbage\n' }, args: ['-d', 'myorigin'] });
test('-e on a configuration directory that does not exist', postconfCase, { files: {}, args: ['-c', 'nonexistent', '-e', 'a=b'] });
test('process_name comes from argv[0] as typed', postconfCase, { files: STOCK, args: ['-x', 'process_name', 'debugger_command'], argv0: '/usr/sbin/postconf' });
test('MAIL_CONFIG instead of -c', postconfCase, { files: STOCK, args: ['-n'], env: { MAIL_CONFIG: '/nonexistent' } });
test('-v logs how names are validated and how mynetworks is found', postconfCase, { files: EDITED, args: ['-v', '-n'] });
test('-v with all parameters', postconfCase, { files: STOCK, args: ['-v'] });
test('-v with loopback-only interfaces', postconfCase, { files: { 'main.cf': 'inet_interfaces = loopback-only\ninet_protocols = ipv4, ipv6\n', 'master.cf': '' }, args: ['-v', 'mynetworks'] });
test('an unknown inet_protocols value', postconfCase, { files: { 'main.cf': 'inet_protocols = ipv5\n', 'master.cf': '' }, args: ['mynetworks'] });
test('no network protocols', postconfCase, { files: { 'main.cf': 'inet_protocols =\n', 'master.cf': '' }, args: ['-v', 'mynetworks'] });
test('-C with -v', postconfCase, { files: STOCK, args: ['-v', '-C', 'Service,user', '-n'] });
test('bad macro syntax in smtpd_restriction_classes', postconfCase, { files: { 'main.cf': 'smtpd_restriction_classes = ${{a} == {b}\n', 'master.cf': '' }, args: ['-n'] });
test('bad macro syntax in smtpd_restriction_classes in master.cf', postconfCase, { files: { 'main.cf': '', 'master.cf': 'smtp inet n - n - - smtpd -o smtpd_restriction_classes=${x\n' }, args: ['-n'] });
test('-T public-key-algorithms', postconfCase, { files: STOCK, args: ['-T', 'public-key-algorithms'] });
for (const args of [['-F', '-X'], ['-P', '-#'], ['-M', '-h'], ['-a', '-n'], ['-m', '-d'], ['-A', '-x'], ['-t', '-f'], ['-T', 'run-version', '-H'], ['-M', '-P'], ['-e', '-X', 'a'], ['-n', '-#', 'a'], ['-fx', '-X', 'a'], ['-o', 'a=b', '-e', 'c=d'], ['-C', 'user', '-M']]) {
  test(`option conflict: ${args.join(' ')}`, postconfCase, { files: STOCK, args });
}
test('diagnostics carry argv[0] as typed', postconfCase, { files: EDITED, args: ['-n'], argv0: './postconf' });
