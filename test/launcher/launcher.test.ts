/*
 * launcher: a set-gid copy of the launcher, run by an unprivileged user, starts Node with
 * the group's privileges, a scrubbed environment, and no code injected through
 * NODE_OPTIONS. The same copy without the set-gid bit shows that the probe would see both.
 */
import test from 'ava';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, tempDir } from '../helpers/diff.js';
import { DIST } from '../helpers/paths.js';
import { runCommand } from '../helpers/run.js';
import { asNobody, installSetgid } from '../helpers/setgid.js';
import { getgrnam, getpwnam } from '../../src/util/mypwd.js';

const PROBE = `process.stdout.write(JSON.stringify({
  egid: process.getegid(), gid: process.getgid(), euid: process.geteuid(), env: process.env,
}) + '\\n');
`;

/** <top>/bin/probe (the launcher) and <top>/src/probe/probe.js, readable by everyone. */
function probeTree(t: Parameters<typeof tempDir>[0], setgid: boolean): { top: string; probe: string; evil: string } {
  const top = tempDir(t, 'pf-setgid-');
  chmodSync(top, 0o755);
  mkdirSync(join(top, 'bin'), { mode: 0o755 });
  mkdirSync(join(top, 'src', 'probe'), { recursive: true, mode: 0o755 });
  writeFileSync(join(top, 'src', 'probe', 'probe.js'), PROBE, { mode: 0o644 });
  const evil = join(top, 'evil.cjs');
  writeFileSync(evil, "process.stdout.write('EVIL RAN\\n');\n", { mode: 0o644 });
  const probe = join(top, 'bin', 'probe');
  installSetgid(join(DIST, 'launcher'), probe, setgid);
  return { top, probe, evil };
}

function hostileEnv(evil: string): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    NODE_OPTIONS: `--require=${evil}`,
    NODE_PATH: '/tmp',
    FOO: 'bar',
    MAIL_CONFIG: '/some/config',
    MAIL_LOGTAG: 'tag',
    TZ: 'UTC',
    LANG: 'C',
  };
}

test('a set-gid launcher: egid postdrop, no NODE_OPTIONS code, only the allowed variables', async (t) => {
  if (!requireRoot(t)) return;
  const { probe, evil } = probeTree(t, true);
  const run = await runCommand(asNobody([probe]), hostileEnv(evil));
  t.is(run.stderr, '');
  t.is(run.status, 0);
  t.false(run.stdout.includes('EVIL'), 'NODE_OPTIONS code ran');
  const seen = JSON.parse(run.stdout);
  t.is(seen.egid, getgrnam('postdrop')!.gr_gid);
  t.is(seen.gid, getgrnam('nogroup')!.gr_gid);
  t.is(seen.euid, getpwnam('nobody')!.pw_uid);
  t.deepEqual(seen.env, {
    MAIL_CONFIG: '/some/config', MAIL_LOGTAG: 'tag', TZ: 'UTC', LANG: 'C', POSTFIX_TS_ARGV0: probe,
  });
});

test('the same launcher without the set-gid bit passes the environment on', async (t) => {
  // The control experiment: the probe does notice NODE_OPTIONS and foreign variables.
  if (!requireRoot(t)) return;
  const { probe, evil } = probeTree(t, false);
  const run = await runCommand(asNobody([probe]), hostileEnv(evil));
  t.true(run.stdout.startsWith('EVIL RAN\n'));
  const seen = JSON.parse(run.stdout.slice('EVIL RAN\n'.length));
  t.is(seen.egid, getgrnam('nogroup')!.gr_gid);
  t.is(seen.env.FOO, 'bar');
  t.is(seen.env.NODE_OPTIONS, `--require=${evil}`);
});
