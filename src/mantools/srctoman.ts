#!/usr/bin/env node
/*
 * srctoman - render the manual page in a program's main file header as nroff -man.
 * Counterpart: postfix/mantools/srctoman (a shell and awk script there). The header is the
 * first comment of src/<prog>/<prog>.ts, in sections NAME, SYNOPSIS, DESCRIPTION ...
 * Usage: srctoman [-o outdir] [file.ts ...]; with no files, every program under src/,
 * commands into man1 and daemons into man8 (the split postfix-files makes).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMainModule } from '../util/main_module.js';

/** Section lines whose text keeps its line breaks. */
const VERBATIM = new Set(['SYNOPSIS']);

/** The manual page for one source file's header, or undefined when it has none. */
export function renderManPage(source: string, section: number): string | undefined {
  const m = /^(?:#![^\n]*\n)?\/\*\n((?: \*[^\n]*\n)*?) \*\//.exec(source);
  if (!m) return undefined;
  const lines = m[1]!.split('\n').filter((l) => l !== '').map((l) => l.replace(/^ \*\s?/, ''));
  if (lines[0] !== 'NAME') return undefined;
  const nameLine = (lines[1] ?? '').trim();
  const title = nameLine.split(/\s+/)[0]!.toUpperCase();
  let out = `.TH ${title} ${section}\n.ad\n.fi\n`;
  let current = '';
  for (const raw of lines) {
    if (/^[A-Z][A-Z ]*$/.test(raw)) {
      if (VERBATIM.has(current)) out += '.fi\n';
      current = raw;
      out += `.SH ${raw}\n`;
      if (VERBATIM.has(current)) out += '.nf\n';
      continue;
    }
    const text = raw.replace(/^\t/, '').replace(/\\/g, '\\e');
    if (current === 'NAME') {
      out += `${text.replace(' - ', ' \\- ')}\n`;
    } else if (text.trim() === '') {
      if (!VERBATIM.has(current)) out += '.PP\n';
    } else {
      out += `${text.startsWith('.') || text.startsWith("'") ? '\\&' : ''}${text.replace(/^\t+/, '')}\n`;
    }
  }
  if (VERBATIM.has(current)) out += '.fi\n';
  return out;
}

/** Every program's main file, with the manual section it belongs in. */
export function programSources(top: string): Array<{ name: string; file: string; section: number }> {
  const files = readFileSync(join(top, 'postfix-files'), 'latin1').split('\n');
  const daemons = new Set(files.filter((l) => l.startsWith('$daemon_directory/') && l.split(':')[1] === 'f')
    .map((l) => basename(l.split(':')[0]!)));
  const out = [];
  for (const name of readdirSync(join(top, 'src')).sort()) {
    const file = join(top, 'src', name, `${name}.ts`);
    if (!existsSync(file)) continue;
    out.push({ name, file, section: daemons.has(name) ? 8 : 1 });
  }
  return out;
}

/** Write man/manN/<name>.N for every program; returns the paths written. */
export function renderAll(top: string, outdir: string): string[] {
  const written = [];
  for (const { name, file, section } of programSources(top)) {
    const page = renderManPage(readFileSync(file, 'latin1'), section);
    if (page === undefined) continue;
    const dir = join(outdir, `man${section}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.${section}`);
    writeFileSync(path, page, 'latin1');
    written.push(path);
  }
  return written;
}

if (isMainModule(import.meta.url)) {
  const args = process.argv.slice(2);
  const top = join(import.meta.dirname ?? '.', '..', '..', '..');
  const outIndex = args.indexOf('-o');
  const outdir = outIndex >= 0 ? args[outIndex + 1]! : join(top, 'man');
  for (const path of renderAll(top, outdir)) process.stdout.write(`${path}\n`);
}
