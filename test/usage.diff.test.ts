/*
 * Every user command, ours and the reference's, given a bad command line: the same
 * diagnostics on the same stream, and the same exit status. Run with standard error on a
 * pipe and on a terminal (postfix, postlog and postmulti only report to a terminal), and
 * with argv[0] as a bare name and as a path (some commands print argv[0] as typed).
 */
import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runBoth, tempDir, type RunOptions } from './helpers/diff.js';

interface Command {
  name: string;
  /** Bad command lines to try, besides -Z. */
  bad: string[][];
  /** Only works with the default configuration directory, /etc/postfix. */
  defaultConfigOnly?: boolean;
}

const COMMANDS: Command[] = [
  { name: 'postfix', bad: [['-c'], ['-vZ'], ['-c', 'relative/dir', 'status']] },
  { name: 'postconf', bad: [['-c'], ['-nZ'], ['-o']] },
  { name: 'postqueue', bad: [['-c'], ['-p', '-j'], ['-i'], ['-fs', 'example.com']] },
  { name: 'postsuper', bad: [['-c'], ['-d'], ['-vZ']] },
  { name: 'postcat', bad: [['-c'], ['-s'], ['-bZ']] },
  { name: 'postmap', bad: [['-c'], ['-q'], ['-d'], ['-Nx']] },
  { name: 'postalias', bad: [['-c'], ['-q'], ['-Nb']] },
  { name: 'postdrop', bad: [['-c'], ['-rZ']] },
  { name: 'postkick', bad: [['-c'], ['-vZ']] },
  { name: 'postlock', bad: [['-c'], ['-l']] },
  { name: 'postlog', bad: [['-c'], ['-p'], ['-t']] },
  { name: 'postmulti', bad: [['-e'], ['-lZ']], defaultConfigOnly: true },
  { name: 'sendmail', bad: [['-C'], ['-q', '-Z'], ['-n'], ['-f']] },
  { name: 'mailq', bad: [['-C'], ['-vZ']] },
  { name: 'newaliases', bad: [['-C'], ['-q', '-Z']] },
];

for (const command of COMMANDS) {
  for (const args of [['-Z'], ...command.bad]) {
    for (const tty of [false, true]) {
      for (const argv0 of [command.name, `./sbin/${command.name}`]) {
        const title = `${command.name}: ${JSON.stringify(args)} argv0=${argv0}${tty ? ' on a terminal' : ''}`;
        test(title, async (t) => {
          if (!requireRoot(t)) return;
          const dir = tempDir(t);
          const spool = join(dir, 'spool');
          mkdirSync(spool);
          const mainCf = `queue_directory = ${spool}\n`;
          const opts: RunOptions = { argv0, tty, cwd: dir };
          if (command.defaultConfigOnly) {
            opts.privateEtc = { 'postfix/main.cf': mainCf };
          } else {
            const config = join(dir, 'etc');
            mkdirSync(config);
            writeFileSync(join(config, 'main.cf'), mainCf);
            opts.env = { MAIL_CONFIG: config };
          }
          const [ours, ref] = await runBoth(command.name, args, opts);
          t.not(ref.status, 0, 'the reference accepted this command line; the case is not a bad one');
          t.deepEqual(ours, ref);
        });
      }
    }
  }
}
