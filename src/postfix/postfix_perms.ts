/*
 * postfix_perms - mkdir, chown [-R], chgrp [-R], chmod and "find -type d -exec chmod" as
 * post-install runs them, done in-process with the coreutils diagnostics and exit status.
 * No Postfix counterpart (the script runs the coreutils programs). Numeric modes only, as
 * postfix-files has them; on a directory a short mode keeps set-uid/set-gid bits, as GNU
 * chmod does.
 */
import { chmodSync, chownSync, lchownSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { getgrnam, getpwnam } from '../util/mypwd.js';
import { strerror } from '../util/strerror.js';
import { find, quoteName, readdirRaw, toolError } from './postfix_find.js';

/** Exit status 0 or 1, like the programs. */
export type ToolStatus = 0 | 1;

function accessError(tool: string, path: string, err: unknown): ToolStatus {
  const code = (err as NodeJS.ErrnoException).code;
  const what = code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' ? 'cannot access'
    : tool === 'chown' ? 'changing ownership of' : tool === 'chgrp' ? 'changing group of' : 'changing permissions of';
  toolError(`${tool}: ${what} ${quoteName(path)}: ${strerror(err)}`);
  return 1;
}

/** mkdir path (umask applies). */
export function mkdirTool(path: string): ToolStatus {
  try {
    mkdirSync(path, 0o777);
    return 0;
  } catch (err) {
    toolError(`mkdir: cannot create directory ${quoteName(path)}: ${strerror(err)}`);
    return 1;
  }
}

function resolveId(kind: 'user' | 'group', name: string): number | undefined {
  if (kind === 'user') {
    const pw = getpwnam(name);
    if (pw !== null) return pw.pw_uid;
  } else {
    const gr = getgrnam(name);
    if (gr !== null) return gr.gr_gid;
  }
  return /^[0-9]+$/.test(name) ? Number(name) : undefined;
}

/** Change owner or group of path (and with recursive, of everything below, links not followed). */
function changeIds(tool: 'chown' | 'chgrp', recursive: boolean, name: string, path: string): ToolStatus {
  const kind = tool === 'chown' ? 'user' : 'group';
  const id = resolveId(kind, name);
  if (id === undefined) {
    toolError(`${tool}: invalid ${kind}: ${quoteName(name)}`);
    return 1;
  }
  const set = (p: string, follow: boolean) => {
    const st = follow ? statSync(p) : lstatSync(p);
    const uid = tool === 'chown' ? id : st.uid;
    const gid = tool === 'chgrp' ? id : st.gid;
    if (follow) chownSync(p, uid, gid);
    else lchownSync(p, uid, gid);
  };
  if (!recursive) {
    try {
      set(path, true);
      return 0;
    } catch (err) {
      return accessError(tool, path, err);
    }
  }
  let status: ToolStatus = 0;
  const walk = (p: string): void => {
    let st;
    try {
      st = lstatSync(p);
    } catch (err) {
      status = accessError(tool, p, err);
      return;
    }
    if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirRaw(p);
      } catch (err) {
        toolError(`${tool}: cannot read directory ${quoteName(p)}: ${strerror(err)}`);
        status = 1;
      }
      for (const name of names) walk(`${p}/${name}`);
    }
    try {
      set(p, false);
    } catch (err) {
      status = accessError(tool, p, err);
    }
  };
  walk(path);
  return status;
}

export const chownTool = (recursive: boolean, owner: string, path: string) => changeIds('chown', recursive, owner, path);
export const chgrpTool = (recursive: boolean, group: string, path: string) => changeIds('chgrp', recursive, group, path);

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;

/** GNU chmod with a numeric mode; undefined when the mode is not one. */
function newMode(mode: string, old: number, isDir: boolean): number | undefined {
  if (!/^[0-7]+$/.test(mode)) return undefined;
  const value = parseInt(mode, 8);
  if (value > 0o7777) return undefined;
  if (!isDir || mode.length >= 5) return value;
  // A directory keeps set-uid and set-gid unless the mode names them.
  return value | (old & (S_ISUID | S_ISGID) & ~value);
}

/** chmod mode path (follows a symbolic link). */
export function chmodTool(mode: string, path: string): ToolStatus {
  if (newMode(mode, 0, false) === undefined) {
    toolError(`chmod: invalid mode: ${quoteName(mode)}`);
    toolError("Try 'chmod --help' for more information.");
    return 1;
  }
  try {
    const st = statSync(path);
    chmodSync(path, newMode(mode, st.mode, st.isDirectory())!);
    return 0;
  } catch (err) {
    return accessError('chmod', path, err);
  }
}

/** find path -type d -exec chmod mode {} ";": find's status ignores the chmod results. */
export function chmodDirsTool(mode: string, path: string): ToolStatus {
  return find([path], {}, (p, st) => {
    if (st.isDirectory()) chmodTool(mode, p);
  }) === 0 ? 0 : 1;
}
