/*
 * clean_env - keep only the environment that import_environment names, or just apply its
 * name=value settings. Counterpart: clean_env() and update_env() in
 * postfix/src/util/clean_env.c.
 */
import { msg } from './msg.js';
import { safeGetenv } from './safe.js';
import { strerror } from './strerror.js';
import { splitNameval } from './split_nameval.js';

/**
 * Postfix: clean_env(). The environment afterwards holds the names of preserveList that
 * were set, and the name=value entries of that list.
 */
export function cleanEnv(preserveList: readonly string[]): void {
  const keep: [string, string][] = [];
  for (const entry of preserveList) {
    if (entry.includes('=')) {
      const nv = splitNameval(entry);
      if (typeof nv === 'string') msg.fatal(`clean_env: ${nv} in: ${entry}`);
      keep.push([nv.name, nv.value]);
    } else {
      const value = safeGetenv(entry);
      if (value !== undefined) keep.push([entry, value]);
    }
  }
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (const [name, value] of keep) {
    try {
      process.env[name] = value;
    } catch (err) {
      msg.fatal(`setenv(${name}, ${value}): ${strerror(err)}`);
    }
  }
}

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
