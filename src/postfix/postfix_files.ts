/*
 * postfix_files - read postfix-files, the list of what an installation holds, with owners,
 * modes and flags. Counterpart: the loop of postfix/conf/post-install that reads
 * $meta_directory/postfix-files (and postfix-files.d/*) with "IFS=: read". Fields keep
 * their $name references; expandShellVars() resolves them as the script's eval does.
 */

/** One line: path:type:owner:group:mode[:flags]. */
export interface PostfixFilesEntry {
  path: string;
  type: string;
  owner: string;
  group: string;
  mode: string;
  flags: string;
}

/**
 * Lines split on ':' as "read path type owner group mode flags junk" splits them: the last
 * field is ignored junk. Like read, a last line without a newline is not seen.
 */
export function parsePostfixFiles(text: string): PostfixFilesEntry[] {
  const lines = text.split('\n');
  lines.pop(); // what follows the last newline
  return lines.map((line) => {
    const f = line.split(':');
    return { path: f[0] ?? '', type: f[1] ?? '', owner: f[2] ?? '', group: f[3] ?? '', mode: f[4] ?? '', flags: f[5] ?? '' };
  });
}

/** $name and ${name} replaced by their values (unset: empty), as the shell expands them. */
export function expandShellVars(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_all, braced: string | undefined, bare: string | undefined) => lookup((braced ?? bare)!) ?? '');
}
