/*
 * postlog installed set-gid postdrop and run by nobody, ours against the reference: what an
 * unprivileged user may do. A configuration directory other than /etc/postfix needs the
 * blessing of /etc/postfix/main.cf (alternate_config_directories); POSTLOG_SERVICE,
 * POSTLOG_HOSTNAME, MAIL_LOGTAG and TZ from the user are ignored; records reach postlogd's
 * socket. Runs in a private mount namespace: /dev/log is the test's (DevLog), and /etc is
 * an overlay that adds /etc/postfix/main.cf.
 */
import test, { type ExecutionContext } from 'ava';
import { chmodSync, closeSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, shellQuote, tempDir, type RunResult } from '../helpers/diff.js';
import { DevLog } from '../helpers/devlog.js';
import { maskRecord, oldConfig } from '../helpers/maillog.js';
import { DIST, referenceCommand } from '../helpers/paths.js';
import { asNobody, installSetgid } from '../helpers/setgid.js';
import { NON_BLOCKING } from '../../src/util/poll_fd.js';
import { unixDgramListen, unixDgramRecv } from '../../src/util/unix_dgram_listen.js';

interface Setup {
  top: string;
  ours: string;
  ref: string;
  blessed: string; // named in /etc/postfix/main.cf
  unblessed: string;
  devlog: DevLog;
  datagrams: () => string[];
  etcScript: string; // shell commands that lay the /etc overlay
}

function setup(t: ExecutionContext): Setup {
  const top = tempDir(t, 'pf-postlog-setgid-');
  chmodSync(top, 0o755);
  mkdirSync(join(top, 'ours', 'bin'), { recursive: true, mode: 0o755 });
  chmodSync(join(top, 'ours'), 0o755);
  symlinkSync(join(DIST, 'src'), join(top, 'ours', 'src'));
  const ours = join(top, 'ours', 'bin', 'postlog');
  installSetgid(join(DIST, 'launcher'), ours);
  const ref = join(top, 'postlog');
  installSetgid(referenceCommand('postlog'), ref);

  const spool = join(top, 'spool');
  mkdirSync(join(spool, 'public'), { recursive: true, mode: 0o755 });
  chmodSync(spool, 0o755);
  chmodSync(join(spool, 'public'), 0o755);
  const sock = unixDgramListen(join(spool, 'public', 'postlog'), NON_BLOCKING);
  t.teardown(() => closeSync(sock));
  const mainCf = `maillog_file = ${top}/maillog\nmaillog_file_prefixes = ${top}\nqueue_directory = ${spool}\nmyhostname = host.example.test\n`;
  const blessed = oldConfig(t, { 'main.cf': mainCf });
  const unblessed = oldConfig(t, { 'main.cf': mainCf });
  for (const dir of [blessed, unblessed]) chmodSync(dir, 0o755);

  const overlay = join(top, 'etc-overlay');
  mkdirSync(join(overlay, 'upper', 'postfix'), { recursive: true });
  mkdirSync(join(overlay, 'work'));
  writeFileSync(join(overlay, 'upper', 'postfix', 'main.cf'), `alternate_config_directories = /nonexistent, ${blessed}\n`);
  const etcScript = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${shellQuote(join(overlay, 'upper'))},workdir=${shellQuote(join(overlay, 'work'))} /etc`;
  return {
    top, ours, ref, blessed, unblessed, devlog: new DevLog(t), etcScript,
    datagrams: () => {
      const all: string[] = [];
      for (let d = unixDgramRecv(sock, 65536); d !== null; d = unixDgramRecv(sock, 65536)) all.push(maskRecord(d.toString('latin1')));
      return all;
    },
  };
}

/** Run a program as nobody, inside the namespace with the /etc overlay (or without). */
function runAsNobody(s: Setup, path: string, args: string[], env: Record<string, string>, withEtc = true): Promise<RunResult> {
  const inner = asNobody([path, ...args]);
  const script = `${withEtc ? `${s.etcScript} && ` : ''}exec "$@"`;
  return s.devlog.run('/bin/sh', ['-c', script, 'sh', ...inner], env);
}

interface Outcome {
  run: RunResult;
  syslog: Array<{ priority: number; tag: string; text: string }>;
  postlogd: string[];
}

async function both(s: Setup, args: string[], env: Record<string, string>, withEtc = true): Promise<[Outcome, Outcome]> {
  const outcome = async (path: string): Promise<Outcome> => {
    const run = await runAsNobody(s, path, args, env, withEtc);
    return { run, syslog: s.devlog.records().map(({ pid: _pid, ...rest }) => rest), postlogd: s.datagrams() };
  };
  const ref = await outcome(s.ref);
  const ours = await outcome(s.ours);
  return [ours, ref];
}

const HOSTILE = (s: Setup) => ({
  PATH: '/usr/bin:/bin', MAIL_LOGTAG: 'forged', TZ: 'Pacific/Kiritimati',
  POSTLOG_SERVICE: join(s.top, 'elsewhere'), POSTLOG_HOSTNAME: 'forged.example',
});

test('a configuration directory that /etc/postfix/main.cf does not name is refused', async (t) => {
  if (!requireRoot(t)) return;
  const s = setup(t);
  for (const [args, env] of [[['-c', s.unblessed, 'text'], {}], [['text'], { MAIL_CONFIG: s.unblessed }]] as const) {
    const [ours, ref] = await both(s, [...args], { ...HOSTILE(s), ...env });
    t.deepEqual(ours, ref);
    t.is(ref.run.status, 1);
    t.true(ref.syslog.some((r) => r.text.startsWith('error: unauthorized configuration directory name: ')));
  }
});

test('without /etc/postfix/main.cf a non-default directory is refused too', async (t) => {
  if (!requireRoot(t)) return;
  const s = setup(t);
  const [ours, ref] = await both(s, ['-c', s.blessed, 'text'], HOSTILE(s), false);
  t.deepEqual(ours, ref);
  t.is(ref.run.status, 1);
});

test('a blessed directory: records go to postlogd, whatever the environment says', async (t) => {
  if (!requireRoot(t)) return;
  const s = setup(t);
  for (const args of [['-c', s.blessed, 'from nobody'], ['-c', s.blessed, '-p', 'warning', '-t', 'own\x01tag', 'tagged']]) {
    const [ours, ref] = await both(s, args, HOSTILE(s));
    t.deepEqual(ours, ref);
    t.is(ref.run.status, 0);
    t.is(ref.postlogd.length, 1);
    t.regex(ref.postlogd[0]!, /^TIME host /);
  }
});
