/*
 * postsuper, ours and the reference's, each on its own copy of the same queue tree: the
 * same stdout, stderr and exit status, and the same tree afterwards (names, types, modes,
 * owners, contents). Structure repair renames files after their inode numbers, which differ
 * between two copies; those comparisons replace a name's inode part by the message it
 * belongs to, after checking that the name matches the inode on each side.
 */
import test, { type ExecutionContext } from 'ava';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, runOurs, runReference, tempDir, type RunOptions } from '../helpers/diff.js';
import { VECTOR_DIR, vectorFiles, withoutConfigChatter } from '../helpers/queue_vectors.js';
import { queueIdInode } from '../../src/global/mail_queue.js';

const QUEUE_DIRS = ['maildrop', 'incoming', 'active', 'deferred', 'hold', 'defer', 'bounce', 'trace', 'flush', 'corrupt', 'saved'];
const MESSAGE_DIRS = new Set(['maildrop', 'incoming', 'active', 'deferred', 'hold']);

interface TreeOptions {
  /** Extra objects for repair tests: stale temp files, odd names, alien directories. */
  litter?: boolean;
}

/** A queue tree from the reference vectors, owned like a real one. */
function buildTree(spool: string, opts: TreeOptions = {}): void {
  for (const q of QUEUE_DIRS) mkdirSync(join(spool, q), { recursive: true });
  for (const file of vectorFiles()) {
    const [queue] = file.split('/');
    if (!QUEUE_DIRS.includes(queue!) || file.includes('.')) continue;
    mkdirSync(join(spool, file, '..'), { recursive: true });
    copyFileSync(join(VECTOR_DIR, file), join(spool, file));
    const mode = queue === 'maildrop' ? 0o744 : MESSAGE_DIRS.has(queue!) ? 0o700 : 0o600;
    execFileSync('chmod', [mode.toString(8), join(spool, file)]);
  }
  // A message in active/, one already expired, a long ID in hold, a maildrop temp file.
  copyFileSync(join(VECTOR_DIR, 'active/4jWzxY4BtvzJF0K.before-bounce'), join(spool, 'active/4jWzxY4BtvzJF0K'));
  execFileSync('chmod', ['700', join(spool, 'active/4jWzxY4BtvzJF0K')]);
  copyFileSync(join(VECTOR_DIR, 'incoming/5765520E6F1'), join(spool, 'hold/4jWzzJ74q7zJDvG'));
  execFileSync('chmod', ['710', join(spool, 'hold/4jWzzJ74q7zJDvG')]);
  writeFileSync(join(spool, 'bounce/4jWzxY4BtvzJF0K'), readFileSync(join(VECTOR_DIR, 'bounce/4jWzxY4BtvzJF0K')), { mode: 0o600 });
  if (opts.litter) {
    const old = new Date(Date.now() - 8 * 86400 * 1000);
    writeFileSync(join(spool, 'incoming/123456.789'), 'stale temp', { mode: 0o600 });
    utimesSync(join(spool, 'incoming/123456.789'), old, old);
    writeFileSync(join(spool, 'incoming/654321.987'), 'fresh temp', { mode: 0o600 });
    writeFileSync(join(spool, 'deferred/bad.name'), 'bogus', { mode: 0o700 });
    utimesSync(join(spool, 'deferred/bad.name'), old, old);
    writeFileSync(join(spool, 'hold/ABCDE99999#FIX'), 'leftover', { mode: 0o700 });
    mkdirSync(join(spool, 'incoming/alien'));
    symlinkSync('/etc/passwd', join(spool, 'incoming/ABCDE1234'));
  }
  execFileSync('chown', ['-R', 'postfix:postfix', spool]);
  execFileSync('chown', ['postfix:postdrop', join(spool, 'maildrop')]);
  execFileSync('chmod', ['730', join(spool, 'maildrop')]);
}

interface Side {
  config: string;
  spool: string;
}

/** Two identical copies (cp -a keeps modes, owners and times) with their own main.cf. */
function twoCopies(t: ExecutionContext, mainCf: string, opts: TreeOptions = {}): [Side, Side] {
  const dir = tempDir(t, 'pf-postsuper-');
  const template = join(dir, 'template');
  buildTree(template, opts);
  return (['ours', 'ref'] as const).map((name) => {
    const spool = join(dir, name, 'spool');
    const config = join(dir, name, 'etc');
    mkdirSync(config, { recursive: true });
    execFileSync('cp', ['-a', template, spool]);
    writeFileSync(join(config, 'main.cf'), `queue_directory = ${spool}\n${mainCf}`);
    return { config, spool };
  }) as [Side, Side];
}

interface Entry {
  path: string;
  kind: string;
  mode: string;
  owner: string;
  content: string;
}

/**
 * Everything in a tree, sorted. With normalize, a message file name that matches its inode
 * gets its inode part replaced by a token for the message (its content), and so do log files
 * with the same inode part.
 */
function snapshot(spool: string, normalize: boolean): Entry[] {
  return snapshotWithTokens(spool, normalize).entries;
}

function snapshotWithTokens(spool: string, normalize: boolean): { entries: Entry[]; tokens: Map<string, string> } {
  const entries: Entry[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(spool, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(join(spool, path));
      const kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : st.isSymbolicLink() ? 'link' : 'other';
      const content = st.isFile() ? createHash('sha1').update(readFileSync(join(spool, path))).digest('hex') : '';
      entries.push({ path, kind, mode: (st.mode & 0o7777).toString(8), owner: `${st.uid}:${st.gid}`, content });
      if (st.isDirectory()) walk(path);
    }
  };
  walk('');
  const tokens = new Map<string, string>(); // inode part -> token
  if (!normalize) return { entries, tokens };
  const inodePart = (name: string) => {
    const z = name.lastIndexOf('z');
    return z >= 10 ? name.slice(z + 1) : name.slice(5);
  };
  const FIX = '#FIX'; // a half-repaired name keeps its suffix
  for (const e of entries) {
    const name = e.path.split('/').pop()!.replace(FIX, '');
    if (e.kind !== 'file' || !MESSAGE_DIRS.has(e.path.split('/')[0]!)) continue;
    const parsed = queueIdInode(name);
    const ino = BigInt(lstatSync(join(spool, e.path)).ino);
    if (parsed !== null && parsed.inode === ino) tokens.set(inodePart(name), `<inode of ${e.content.slice(0, 8)}>`);
  }
  return { tokens, entries: entries.map((e) => {
    const parts = e.path.split('/');
    const full = parts.pop()!;
    const name = full.replace(FIX, '');
    const token = tokens.get(inodePart(name));
    if (token === undefined) return e;
    const z = name.lastIndexOf('z');
    const head = z >= 10 ? name.slice(0, z + 1) : name.slice(0, 5);
    return { ...e, path: [...parts, head + token + full.slice(name.length)].join('/') };
  }) };
}

/** The same replacement in diagnostics that name renamed files (postsuper -v). */
function withTokens(text: string, tokens: Map<string, string>): string {
  let out = text;
  for (const [part, token] of tokens) out = out.replace(new RegExp(`(?<=/[0-9A-Za-z]{5,14}z?)${part}(?=#FIX|\\b)`, 'g'), token);
  return out;
}

async function compare(t: ExecutionContext, args: string[], mainCf = '', opts: { input?: string; normalize?: boolean; litter?: boolean } = {}) {
  const [ours, ref] = twoCopies(t, mainCf, { litter: opts.litter });
  const run = (side: Side, runner: typeof runOurs) => {
    const runOpts: RunOptions = { env: { MAIL_CONFIG: side.config }, input: opts.input ?? '' };
    return runner('postsuper', args.map((a) => (a === 'CONFIG' ? side.config : a)), runOpts);
  };
  const [a, b] = await Promise.all([run(ours, runOurs), run(ref, runReference)]);
  const oursTree = snapshotWithTokens(ours.spool, opts.normalize ?? false);
  const refTree = snapshotWithTokens(ref.spool, opts.normalize ?? false);
  const clean = (r: typeof a, tokens: Map<string, string>) => ({ ...r, stderr: withTokens(withoutConfigChatter(r.stderr), tokens) });
  t.deepEqual(clean(a, oursTree.tokens), clean(b, refTree.tokens), `postsuper ${args.join(' ')}`);
  t.deepEqual(oursTree.entries, refTree.entries, `tree after postsuper ${args.join(' ')}`);
}

const CASES: Array<{ args: string[]; input?: string; mainCf?: string }> = [
  { args: ['-d', '5938520E862'] },
  { args: ['-d', '4jWzx63t6VzJF1T'] },
  { args: ['-d', 'NOSUCHID', '-d', 'bad.id'] },
  { args: ['-d', 'ALL'] },
  { args: ['-d', 'ALL', 'deferred', 'defer'] },
  { args: ['-d', '-'], input: '5938520E862\nbad.id\n\n4CBC820E631\nBB1D620E5F2' },
  { args: ['-v', '-d', '5A8DD20E6FB'] },
  { args: ['-h', '5A8DD20E6FB', '-h', 'A773320EAFB', '-h', '588C620E835'] },
  { args: ['-h', 'ALL'] },
  { args: ['-h', 'ALL', 'incoming', 'active'] },
  { args: ['-h', '-'], input: '4CBC820E631\n4jWzxY4BtvzJF0K\n' },
  { args: ['-H', '588C620E835', '-H', '5A8DD20E6FB'] },
  { args: ['-H', 'ALL'] },
  { args: ['-H', '588C620E835', 'deferred'] },
  { args: ['-r', '552E420E4E9', '-r', 'A773320EAFB'] },
  { args: ['-r', 'ALL'] },
  { args: ['-r', 'ALL', 'hold'] },
  { args: ['-e', '4CBC820E631', '-e', '4CBC820E631', '-e', 'A773320EAFB'] },
  { args: ['-e', 'ALL'] },
  { args: ['-f', '588C620E835', '-f', '4jWzzJ74q7zJDvG'] },
  { args: ['-f', 'ALL'] },
  { args: ['-H', 'ALL', '-h', 'ALL', '-d', '5938520E862', '-r', '5A8DD20E6FB'] },
  { args: ['-d', '5938520E862', 'bogus'] },
  { args: ['-d', 'ALL', 'maildrop', 'bogus'] },
  { args: ['-c', 'relative/dir', '-d', 'x'] },
  { args: ['-c', 'CONFIG', '-d', '5A8DD20E6FB'] },
  { args: ['-d', '5A8DD20E6FB'], mainCf: 'hash_queue_names = deferred, defer, hold\nhash_queue_depth = 2\n' },
];

for (const c of CASES) {
  test(`postsuper ${c.args.join(' ')}${c.input !== undefined ? ' (stdin)' : ''}${c.mainCf ? ` with ${c.mainCf.trim().replace(/\n/g, ', ')}` : ''}`, async (t) => {
    if (!requireRoot(t)) return;
    await compare(t, c.args, c.mainCf, { input: c.input });
  });
}

const REPAIRS: Array<{ args: string[]; mainCf: string }> = [
  { args: [], mainCf: '' },
  { args: ['-s'], mainCf: 'hash_queue_depth = 2\n' },
  { args: ['-s'], mainCf: 'hash_queue_names = deferred, defer, hold, incoming, flush\nhash_queue_depth = 3\n' },
  { args: ['-S'], mainCf: 'enable_long_queue_ids = yes\n' },
  { args: ['-s'], mainCf: 'enable_long_queue_ids = yes\n' },
  { args: ['-p'], mainCf: '' },
  { args: ['-s', '-d', '5938520E862'], mainCf: '' },
  { args: ['-s', '-d', 'ALL'], mainCf: '' },
  { args: ['-v', '-s', 'deferred', 'defer'], mainCf: 'hash_queue_depth = 2\n' },
  { args: ['-s', 'maildrop'], mainCf: 'hash_queue_names = maildrop\n' },
  { args: ['-s'], mainCf: 'hash_queue_names = deferred, defer, HOLD\n' },
  { args: ['-s', 'hold'], mainCf: 'hash_queue_names = Hold\nhash_queue_depth = 2\n' },
];

for (const r of REPAIRS) {
  test(`postsuper repair ${r.args.join(' ') || '(default)'} ${r.mainCf.trim().replace(/\n/g, ', ')}`, async (t) => {
    if (!requireRoot(t)) return;
    await compare(t, r.args, r.mainCf, { normalize: true, litter: true });
  });
}

test('a tree comparison can fail: the snapshot sees a changed mode', (t) => {
  if (!requireRoot(t)) return;
  const [a, b] = twoCopies(t, '');
  execFileSync('chmod', ['710', join(b.spool, 'deferred/5/5938520E862')]);
  t.notDeepEqual(snapshot(a.spool, false), snapshot(b.spool, false));
});
