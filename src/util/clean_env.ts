/*
 * clean_env - apply the name=value settings of import_environment to this process.
 * Counterpart: update_env() and clean_env() in postfix/src/util/clean_env.c; clean_env()
 * also drops every variable that the list does not name.
 */
import { msg } from './msg.js';
import { safeGetenv } from './safe.js';
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

/**
 * Postfix: clean_env(). Keep only the listed names (their values as safe_getenv() gives
 * them, so a set-id process keeps none) and the name=value settings.
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
  for (const [name, value] of keep) process.env[name] = value;
}
