/*
 * postfix_check - "postfix check": the fatal checks before a start, and the warnings about
 * owners and modes. Counterpart: the check-fatal and check-warn commands of
 * postfix/conf/postfix-script as Debian ships it in 3.7.11 (whose group/other-writable test
 * follows symbolic links, and which warns about links that point outside the directory).
 */
import { readFileSync, readlinkSync, readdirSync, type Stats } from 'node:fs';
import { getgrnam, getpwnam } from '../util/mypwd.js';
import { readLogicalLines } from '../util/readlline.js';
import { mailConfStr } from '../global/mail_conf.js';
import { find, groupOrOtherWritable, isDirectory, isRegularFile, quoteName, sameContent, shellWords, toolError } from './postfix_find.js';
import { fatal, postconfComplaints, run, warn, type ScriptContext } from './postfix_run.js';

/** postconf -M postlog/unix-dgram finds an entry. */
function hasPostlogService(masterCf: string): boolean {
  let text: string;
  try {
    text = readFileSync(masterCf, 'latin1');
  } catch {
    return false;
  }
  for (const line of readLogicalLines(text, masterCf)) {
    const [name, type] = shellWords(line.text);
    if (name === 'postlog' && type === 'unix-dgram') return true;
  }
  return false;
}

/** check-fatal: what must be right before the mail system may start. */
export function checkFatal(ctx: ScriptContext): number {
  const { command_directory: commandDir, config_directory: configDir, daemon_directory: daemonDir } = ctx.env;
  if (run(`${daemonDir}/post-install`, ['create-missing']) !== 0) return fatal('unable to create missing queue directories');
  if (!isRegularFile(`${configDir}/master.cf`)) return fatal(`no ${configDir}/master.cf file found`);
  postconfComplaints(`${commandDir}/postconf`, configDir);
  if (mailConfStr('maillog_file') !== '' && !hasPostlogService(`${configDir}/master.cf`)) {
    return fatal("missing 'postlog' service in master.cf - run 'postfix upgrade-configuration'");
  }
  // Queue files in the wrong place must be moved before the mail system runs.
  if (run(`${commandDir}/postsuper`, []) !== 0) return 1;
  return 0;
}

/** find -user NAME: the uid, or undefined (after find's complaint) when there is none. */
function userId(name: string): number | undefined {
  const pw = getpwnam(name);
  if (pw !== null) return pw.pw_uid;
  if (/^[0-9]+$/.test(name)) return Number(name);
  toolError(`find: ${quoteName(name)} is not the name of a known user`);
  return undefined;
}

/** find -group NAME. */
function groupId(name: string): number | undefined {
  const gr = getgrnam(name);
  if (gr !== null) return gr.gr_gid;
  if (/^[0-9]+$/.test(name)) return Number(name);
  toolError(`find: ${quoteName(name)} is not the name of an existing group`);
  return undefined;
}

/** find roots [-prune] ! -user name -exec $WARN message {} \; */
function warnNotOwned(roots: readonly string[], prune: boolean, user: string, message: (path: string) => string,
  skip: (st: Stats) => boolean = () => false): void {
  const uid = userId(user);
  if (uid === undefined) return;
  find(roots, { prune }, (path, st) => {
    if (!skip(st) && st.uid !== uid) warn(message(path));
  });
}

function warnWritable(roots: readonly string[], opts: { prune?: boolean; follow?: boolean }): void {
  find(roots, opts, (path, st) => {
    if (groupOrOtherWritable(st)) warn(`group or other writable: ${path}`);
  });
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir, { encoding: 'latin1' }).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}

/** The queue subdirectories that mail_owner owns, as `ls -d $queue_directory/* | egrep ...` lists them. */
const OWNER_QUEUES = /\/(saved|incoming|active|defer|deferred|bounce|hold|trace|corrupt|public|private|flush)$/;

/** check-warn: complain about owners and modes, and about leftovers. Always succeeds. */
export function checkWarn(ctx: ScriptContext): number {
  const env = ctx.env;
  const queueDir = env.queue_directory;

  // The root-owned queue directories themselves.
  warnNotOwned([`${queueDir}/.`, `${queueDir}/pid`], true, 'root', (p) => `not owned by root: ${p}`);
  warnWritable([`${queueDir}/.`, `${queueDir}/pid`], { prune: true });

  // The root-owned trees; the shared ones only in the default instance.
  let todo = [`${env.config_directory}/.`];
  if (ctx.checkSharedFiles) {
    todo = [`${env.daemon_directory}/.`, `${env.meta_directory}/.`, ...todo];
    if (env.shlib_directory !== 'no') todo = [`${env.shlib_directory}/.`, ...todo];
  }
  todo = [...new Set(todo.flatMap(shellWords))].sort((a, b) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')));
  warnNotOwned(todo, false, 'root', (p) => `not owned by root: ${p}`);
  warnWritable(todo, { follow: true });
  find(todo, {}, (path, st) => {
    if (!st.isSymbolicLink() || path === '/etc/postfix/./makedefs.out') return;
    let target: string;
    try {
      target = readlinkSync(path, { encoding: 'latin1' });
    } catch {
      return;
    }
    if (target.includes('/')) warn(`symlink leaves directory: ${path}`);
  });

  // The mail_owner-owned trees.
  const owner = env.mail_owner;
  warnNotOwned([`${env.data_directory}/.`], false, owner, (p) => `not owned by ${owner}: ${p}`);
  warnWritable([`${env.data_directory}/.`], {});
  const queues = readdirSafe(queueDir).sort().map((n) => `${queueDir}/${n}`).filter((p) => OWNER_QUEUES.test(p));
  if (readdirSafe(queueDir).length === 0) {
    // The shell passes the unmatched pattern to ls.
    toolError(`ls: cannot access ${quoteName(`${queueDir}/*`)}: No such file or directory`);
  }
  // Sockets and fifos belong to whoever made them.
  warnNotOwned(queues.length > 0 ? queues : ['.'], false, owner, (p) => `not owned by ${owner}: ${p}`,
    (st) => st.isFIFO() || st.isSocket());
  // maildrop is the least trusted directory: do not descend into it.
  warnNotOwned([`${queueDir}/maildrop`], true, owner, () => `not owned by ${owner}: ${queueDir}/maildrop`);

  // The setgid_group-owned directories and programs.
  const group = env.setgid_group;
  let sgid = [`${queueDir}/public`, `${queueDir}/maildrop`];
  const commands = [`${env.command_directory}/postqueue`, `${env.command_directory}/postdrop`];
  if (ctx.checkSharedFiles) sgid = [...commands, ...sgid];
  const gid = groupId(group);
  if (gid !== undefined) {
    find(sgid, { prune: true }, (path, st) => {
      if (st.gid !== gid) warn(`not owned by group ${group}: ${path}`);
    });
  }
  if (ctx.checkSharedFiles) {
    find(commands, { prune: true }, (path, st) => {
      if ((st.mode & 0o2111) !== 0o2111) warn(`not set-gid or not owner+group+world executable: ${path}`);
    });
  }

  // Leftovers of a chroot setup in the queue directory (we run with it as current directory).
  for (const dir of ['bin', 'etc', 'lib', 'sbin', 'usr']) {
    if (!isDirectory(dir)) continue;
    warnNotOwned([dir], false, 'root', (p) => `not owned by root: ${queueDir}/${p}`);
    find([dir], {}, (path, st) => {
      if (!st.isFile()) return;
      if (isRegularFile(`/${path}`) && !sameContent(path, `/${path}`)) warn(`${queueDir}/${path} and /${path} differ`);
    });
  }
  find(['corrupt'], {}, (path, st) => {
    if (st.isFile()) warn(`damaged message: ${path}`);
  });

  // Remnants of another MTA.
  if (ctx.checkSharedFiles && isRegularFile('/usr/sbin/sendmail') && isRegularFile('/usr/lib/sendmail')
    && !sameContent('/usr/sbin/sendmail', '/usr/lib/sendmail')) {
    warn('/usr/lib/sendmail and /usr/sbin/sendmail differ');
    warn('Replace one by a symbolic link to the other');
  }
  return 0;
}
