/*
 * clean_env - apply the import_environment setting to this process's environment.
 * Counterpart: update_env() in postfix/src/util/clean_env.c. "name=value" entries set a
 * variable; a bare name keeps what is already there. XXX The list is split at commas and
 * white space; Postfix's mail_parm_split() also understands {name = value with spaces}.
 */

/** Postfix: update_env(). */
export function updateEnv(list: string): void {
  for (const entry of list.split(/[, \t\r\n]+/)) {
    const eq = entry.indexOf('=');
    if (eq > 0) process.env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
}
