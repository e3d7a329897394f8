/*
 * clean_env - apply the name=value settings of import_environment to this process.
 * Counterpart: postfix/src/util/clean_env.c: clean_env() keeps only the listed variables
 * (master(8) does this with import_environment), update_env() applies name=value entries.
 * Node's process.env is the C environment, so children see the result in the same order.
 */
import { msg } from './msg.js';
import { splitNameval } from './split_nameval.js';
import { safeGetenv } from './safe.js';

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

/**
 * Postfix: clean_env(). Keep the listed variables (name=value entries set a value), in
 * list order, and drop everything else.
 */
export function cleanEnv(preserveList: readonly string[]): void {
  const saved: [string, string][] = [];
  for (const entry of preserveList) {
    if (entry.includes('=')) {
      const nv = splitNameval(entry);
      if (typeof nv === 'string') msg.fatal(`clean_env: ${nv} in: ${entry}`);
      saved.push([nv.name, nv.value]);
    } else {
      const value = safeGetenv(entry);
      if (value !== undefined) saved.push([entry, value]);
    }
  }
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (const [name, value] of saved) process.env[name] = value;
}
