/*
 * script_exit - "exit N" for commands that port a Postfix shell script (post-install,
 * postfix-tls-script, postmulti-script): exit() unwinds to the command's main(), which
 * sets the exit status, so that output written before it is not cut short.
 * No Postfix counterpart: there the shell's exit builtin does this.
 */

/** What scriptExit() throws; only runScript() catches it. */
class ScriptExit {
  constructor(readonly status: number) {}
}

/** The shell's "exit status": leave the script with that status. */
export function scriptExit(status: number): never {
  throw new ScriptExit(status);
}

/** Run a script body: the status it gave to scriptExit(), 0 when it simply returned. */
export function runScript(body: () => void): number {
  try {
    body();
    return 0;
  } catch (e) {
    if (!(e instanceof ScriptExit)) throw e;
    return e.status;
  }
}
