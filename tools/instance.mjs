#!/usr/bin/env node
// "npm start": builds a private instance of this mail system under ./instance (or the
// directory named by POSTFIX_INSTANCE) with a working default configuration, and starts
// it in the foreground with "postfix start-fg". Nothing outside that directory is used:
// queue, data directory, log file and sockets all live in it; smtpd listens on
// 127.0.0.1:2525 (POSTFIX_INSTANCE_PORT). Needs root, like "postfix start".
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(process.env.POSTFIX_INSTANCE ?? join(top, 'instance'));
const port = process.env.POSTFIX_INSTANCE_PORT ?? '2525';
const etc = join(dir, 'etc');

for (const d of [etc, join(dir, 'spool'), join(dir, 'data'), join(dir, 'mail')]) mkdirSync(d, { recursive: true });
chmodSync(dir, 0o755);
// As an installation sets them up: master opens data_directory/master.lock as the mail
// owner (it dies silently otherwise, as Postfix's does, before postlogd can log why), and
// postdrop, postqueue and postlog are set-gid postdrop.
const ids = (db, name) => spawnSync('getent', [db, name], { encoding: 'utf8' }).stdout.split(':');
const owner = ids('passwd', 'postfix');
const postdrop = ids('group', 'postdrop');
if (owner.length < 4 || postdrop.length < 3) {
  console.error('instance: the postfix user and the postdrop group must exist (see INSTALL)');
  process.exit(1);
}
chownSync(join(dir, 'data'), Number(owner[2]), Number(owner[3]));
for (const name of ['postdrop', 'postqueue', 'postlog']) {
  const path = join(top, 'dist', 'bin', name);
  chownSync(path, 0, Number(postdrop[2]));
  chmodSync(path, 0o2755);
}
if (!existsSync(join(etc, 'main.cf'))) {
  writeFileSync(join(etc, 'main.cf'), `# main.cf of a private instance made by "npm start"; see postconf(5).
compatibility_level = 3.6
command_directory = ${join(top, 'dist', 'bin')}
daemon_directory = ${join(top, 'dist', 'libexec')}
meta_directory = ${etc}
shlib_directory = no
sendmail_path = ${join(top, 'dist', 'bin', 'sendmail')}
newaliases_path = ${join(top, 'dist', 'bin', 'newaliases')}
mailq_path = ${join(top, 'dist', 'bin', 'mailq')}
queue_directory = ${join(dir, 'spool')}
data_directory = ${join(dir, 'data')}
mail_spool_directory = ${join(dir, 'mail')}
maillog_file = ${join(dir, 'maillog')}
maillog_file_prefixes = ${dir}/
alias_maps = hash:${join(etc, 'aliases')}
alias_database = hash:${join(etc, 'aliases')}
myhostname = localhost.localdomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
`);
  const masterCf = join(etc, 'master.cf');
  copyFileSync(join(top, 'conf', 'master.cf'), masterCf);
  spawnSync('sed', ['-i', `s/^smtp      inet/127.0.0.1:${port} inet/`, masterCf]);
  writeFileSync(join(etc, 'aliases'), 'postmaster: root\n');
}
copyFileSync(join(top, 'postfix-files'), join(etc, 'postfix-files'));
const result = spawnSync(join(top, 'dist', 'bin', 'postfix'), ['-c', etc, 'start-fg'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
