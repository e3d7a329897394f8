/*
 * The set-gid commands (postdrop, postqueue, postlog), installed set-gid postdrop and run
 * by nobody under a false name and a hostile environment: ours and the reference print
 * the same, exit the same, and send the same syslog records (apart from time and pid).
 */
import test from 'ava';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, tempDir } from '../helpers/diff.js';
import { DevLog } from '../helpers/devlog.js';
import { DIST, referenceCommand } from '../helpers/paths.js';
import { asNobody, installSetgid } from '../helpers/setgid.js';

const HOSTILE_ENV = {
  PATH: '/usr/bin:/bin',
  MAIL_LOGTAG: 'forged',
  MAIL_CONFIG: '/nonexistent',
  NODE_OPTIONS: '--require=/nonexistent.cjs',
  TZ: 'Europe/Amsterdam',
};

for (const name of ['postdrop', 'postqueue', 'postlog']) {
  test(`${name} set-gid, run by nobody: same output and syslog records as the reference`, async (t) => {
    if (!requireRoot(t)) return;
    const top = tempDir(t, 'pf-setgid-');
    chmodSync(top, 0o755);
    // Ours: a launcher copy in <top>/ours/bin, finding the modules through <top>/ours/src.
    mkdirSync(join(top, 'ours', 'bin'), { recursive: true, mode: 0o755 });
    chmodSync(join(top, 'ours'), 0o755);
    symlinkSync(join(DIST, 'src'), join(top, 'ours', 'src'));
    const ours = join(top, 'ours', 'bin', name);
    installSetgid(join(DIST, 'launcher'), ours);
    const ref = join(top, name);
    installSetgid(referenceCommand(name), ref);

    const log = new DevLog(t);
    // bash's exec -a gives the program a name of our choosing, which it must not believe.
    const forge = (path: string) => asNobody(['/bin/bash', '-c', 'exec -a evilname "$0" "$@"', path, '-Z']);
    const [oursArgv, refArgv] = [forge(ours), forge(ref)];
    const oursRun = await log.run(oursArgv[0]!, oursArgv.slice(1), HOSTILE_ENV);
    const oursLog = log.records();
    const refRun = await log.run(refArgv[0]!, refArgv.slice(1), HOSTILE_ENV);
    const refLog = log.records();

    t.deepEqual(oursRun, refRun);
    t.true(refLog.length > 0, 'the reference logged something');
    t.deepEqual(oursLog.map(({ pid: _pid, ...rest }) => rest), refLog.map(({ pid: _pid, ...rest }) => rest));
    t.true(refLog.every((r) => r.tag === `postfix/${name}`), 'MAIL_LOGTAG is not trusted');
  });
}
