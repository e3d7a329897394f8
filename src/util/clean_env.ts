/*
 * clean_env - apply the name=value settings of import_environment to this process.
 * Counterpart: update_env() in postfix/src/util/clean_env.c (clean_env() itself, which
 * drops everything else, is for daemons and comes with them).
 */
import { msg } from './msg.js';
import { splitNameval } from './split_nameval.js';

/** Postfix: update_env(). Names without '=' are left as they are. */
export function updateEnv(preserveList: readonly string[]): void {
  const settings: [string, string][] = [];
  for (const entry of preserveList) {
    if (!entry.includes('=')) continue;
    const nv = splitNameval(entry);
    if (typeof nv === 'string') msg.fatal(`update_env: ${nv} in: ${entry}`);
    settings.push([nv.name, nv.value]);
  }
  for (const [name, value] of settings) process.env[name] = value;
}
