/*
 * ref_instance - a private reference Postfix with only pickup, cleanup, trivial-rewrite
 * and postlogd running, so that messages submitted with the reference sendmail end up as
 * cleanup-format files in incoming/ and stay there (no queue manager). The test that starts
 * it stops it (its master, by the pid in the pid file).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { runReference } from './diff.js';
import { instanceMainCf, makeInstanceLayout, masterCfLines, NO_LOCAL_DELIVERY, writeInstanceConfig } from './instance_layout.js';
import { REF_DAEMON_DIR } from './paths.js';

export interface ReferenceInstance {
  config: string;
  spool: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startCleanupInstance(t: ExecutionContext): Promise<ReferenceInstance> {
  const layout = makeInstanceLayout(t, 'pf-refinst-');
  const { dir, config, spool } = layout;
  writeInstanceConfig(layout, instanceMainCf(layout, [...NO_LOCAL_DELIVERY, 'delay_warning_time = 4h']),
    masterCfLines('pickup', 'cleanup', 'rewrite', 'postlog'));
  const master = spawn(join(REF_DAEMON_DIR, 'master'), ['-c', config, '-d'], { detached: true, stdio: 'ignore' });
  master.unref();
  t.teardown(async () => {
    if (master.pid !== undefined) {
      try {
        process.kill(master.pid, 'SIGTERM');
      } catch {
        return; // already gone
      }
      for (let i = 0; i < 50 && existsSync(`/proc/${master.pid}`) && !isZombie(master.pid); i++) await sleep(100);
    }
  });
  for (let i = 0; i < 100 && !existsSync(join(spool, 'public', 'pickup')); i++) await sleep(100);
  if (!existsSync(join(spool, 'public', 'pickup'))) throw new Error(`reference master did not start: ${readLog(dir)}`);
  return { config, spool };
}

function isZombie(pid: number): boolean {
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return true;
  }
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'maillog'), 'latin1');
  } catch {
    return '(no log)';
  }
}

/** Wait until incoming/ holds count files (pickup scans maildrop when poked, or every 60 s). */
export async function waitForIncoming(spool: string, count: number, timeoutMs = 90_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Complete files only: cleanup gives the owner execute bit last.
    const names = readdirSync(join(spool, 'incoming'))
      .filter((n) => !n.includes('.') && (statSync(join(spool, 'incoming', n)).mode & 0o700) === 0o700);
    if (names.length >= count || Date.now() > deadline) return names.sort();
    await sleep(200);
  }
}

/** Submit messages with the reference sendmail; returns the complete incoming/ files. */
export async function submitAll(t: ExecutionContext, inst: ReferenceInstance, specs: ReadonlyArray<{ name: string; args: string[]; rcpt: string[]; text: string | Buffer }>): Promise<string[]> {
  for (const spec of specs) {
    const input = typeof spec.text === 'string' ? Buffer.from(spec.text, 'latin1') : spec.text;
    const sent = await runReference('sendmail', ['-C', inst.config, ...spec.args, ...spec.rcpt], { input, env: { MAIL_CONFIG: inst.config } });
    t.is(sent.status, 0, `${spec.name}: ${sent.stderr}`);
  }
  return waitForIncoming(inst.spool, specs.length);
}
