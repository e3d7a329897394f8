/*
 * postconf_edit - edit main.cf (-e, -X, -#) and master.cf (-Me, -MX, -M#, -Fe, -Pe, -PX).
 * Counterpart: postfix/src/postconf/postconf_edit.c with util/edit_file.c. The new file
 * is written next to the old one as <file>.tmp (mode 0644) and renamed over it; lines that
 * are not edited are copied byte for byte. New main.cf settings are appended in the order
 * Postfix's hash table lists them (see util/htable.ts).
 * The .tmp file is locked with flock(), so that concurrent edits take turns.
 */
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync,
  writeSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { isErrno, strerror } from '../util/strerror.js';
import { MYFLOCK_OP_EXCLUSIVE, MYFLOCK_STYLE_FLOCK, myflock } from '../util/myflock.js';
import { HTable } from '../util/htable.js';
import { MAIN_CONF_FILE, MASTER_CONF_FILE, splitNameval } from '../global/mail_conf.js';
import { PCF_COMMENT_OUT, PCF_EDIT_CONF, PCF_EDIT_EXCL, PCF_FOLD_LINE, PCF_MASTER_ENTRY, PCF_MASTER_FLD,
  PCF_MASTER_PARAM, type Output } from './postconf_print.js';
import { PCF_MASTER_FLD_CMD, PCF_MASTER_FLD_WILDC, editMasterField, editMasterParam, matchService,
  parseFieldPattern, parseMasterEntry, parseServicePattern, printMasterEntry, type MasterEntry } from './postconf_master.js';

const EDIT_FILE_SUFFIX = '.tmp';
const ISSPACE = /[ \t\n\r\v\f]/;
const BLANKS = ' \t\r\n';

/**
 * Postfix: edit_file_open(): create <path>.tmp, lock it, and make sure that the file we
 * locked is still the one under that name, empty, private and singly linked; otherwise
 * someone else is (or was) editing: remove the leftover and try again.
 */
function openLockedTemp(tmpPath: string): number {
  for (;;) {
    let fd: number;
    try {
      fd = openSync(tmpPath, constants.O_CREAT | constants.O_WRONLY, 0o600);
    } catch (err) {
      return msg.fatal(`open ${tmpPath}: ${strerror(err)}`);
    }
    try {
      myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE); // Postfix's INTERNAL_LOCK on Linux
    } catch (err) {
      msg.fatal(`lock ${tmpPath}: ${strerror(err)}`);
    }
    const before = fstatSync(fd);
    let after;
    try {
      after = statSync(tmpPath);
    } catch {
      closeSync(fd);
      continue;
    }
    if (before.dev !== after.dev || before.ino !== after.ino) {
      closeSync(fd);
      continue;
    }
    if (!after.isFile() || after.size > 0 || after.nlink > 1 || (after.mode & 0o7777) !== 0o600) {
      try { unlinkSync(tmpPath); } catch (err) { if (!isErrno(err, 'ENOENT')) msg.fatal(`unlink ${tmpPath}: ${strerror(err)}`); }
      closeSync(fd);
      continue;
    }
    return fd;
  }
}

/** A configuration file being rewritten: lines in, text out to <path>.tmp. */
class EditFile implements Output {
  private chunks: string[] = [];
  readonly lines: string[];
  private next = 0;
  private readonly fd: number;
  private readonly tmpPath: string;
  private readError: unknown;

  constructor(readonly path: string) {
    this.tmpPath = path + EDIT_FILE_SUFFIX;
    this.fd = openLockedTemp(this.tmpPath);
    let text = '';
    try {
      text = readFileSync(path, 'latin1');
    } catch (err) {
      if (!isErrno(err, 'EISDIR')) {
        unlinkSync(this.tmpPath);
        msg.fatal(`open ${path} for reading: ${strerror(err)}`);
      }
      this.readError = err; // a directory opens; reading it fails, noticed at the end
    }
    // Lines keep their newline, as vstring_get() returns them.
    this.lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  }

  getLine(): string | undefined {
    return this.lines[this.next++];
  }

  peek(): string | undefined {
    return this.lines[this.next]?.[0];
  }

  write(text: string): void {
    this.chunks.push(text);
  }

  flush(): void {
    // Written in one piece by close().
  }

  /** Postfix: edit_file_close(): write, set the final mode, sync, rename. */
  close(): void {
    if (this.readError !== undefined) msg.fatal(`read ${this.path}: ${strerror(this.readError)}`);
    try {
      writeSync(this.fd, Buffer.from(this.chunks.join(''), 'latin1'));
      fchmodSync(this.fd, 0o644);
      fsyncSync(this.fd);
      renameSync(this.tmpPath, this.path);
      closeSync(this.fd);
    } catch (err) {
      try { unlinkSync(this.tmpPath); } catch { /* already gone */ }
      msg.fatal(`close ${this.path}${EDIT_FILE_SUFFIX}: ${strerror(err)}`);
    }
  }
}

/** Postfix: pcf_find_cf_info(): copy comments and blank lines; else where the text starts. */
function findCfInfo(line: string, dst: EditFile): number | undefined {
  let cp = 0;
  while (cp < line.length && ISSPACE.test(line[cp]!)) cp++;
  if (cp >= line.length || line[cp] === '#') {
    dst.write(line);
    return undefined;
  }
  return cp;
}

/** Postfix: pcf_next_cf_line(). */
function nextCfLine(ep: EditFile, counter?: { lineno: number }): [string, number] | undefined {
  for (let line = ep.getLine(); line !== undefined; line = ep.getLine()) {
    if (counter) counter.lineno++;
    const cp = findCfInfo(line, ep);
    if (cp !== undefined) return [line, cp];
  }
  return undefined;
}

/** Postfix: pcf_gobble_cf_line(): the entry with its continuation lines. */
function gobbleCfLine(first: string, ep: EditFile): string {
  let full = first;
  for (;;) {
    const ch = ep.peek();
    if (ch === undefined || (ch !== '#' && !ISSPACE.test(ch))) break;
    const line = ep.getLine()!;
    if (findCfInfo(line, ep) !== undefined) full += line;
  }
  return full;
}

const trimTrailing = (s: string) => s.replace(/[ \t\n\r\v\f]+$/, '');

/** An edit request without leading blanks; no newlines, no comments. */
function editRequestText(arg: string, options: string): string {
  if (arg.includes('\n')) msg.fatal(`${options} no multi-line input`);
  const cp = arg.replace(/^[ \t\n\r\v\f]+/, '');
  if (cp[0] === '#') msg.fatal(`${options} no comment input`);
  return cp;
}

function splitOrDie(text: string, shown: string): [string, string] {
  const nv = splitNameval(text);
  return typeof nv === 'string' ? msg.fatal(`${nv}: "${shown}"`) : nv;
}

/** Postfix: pcf_edit_main(). */
export function editMain(configDir: string, mode: number, args: readonly string[]): void {
  const table = new HTable<{ value: string | undefined; found: number }>(args.length);
  for (const arg of args) {
    const cp = editRequestText(arg, '-e, -X, or -# accepts');
    let pattern: string;
    let value: string | undefined;
    if (mode & PCF_EDIT_CONF) {
      [pattern, value] = splitOrDie(cp, cp);
    } else {
      if (cp === '') msg.fatal('-X or -# requires non-blank parameter names');
      if (cp.includes('=')) msg.fatal('-X or -# requires parameter names without value');
      pattern = trimTrailing(cp);
    }
    const old = table.find(pattern);
    if (old !== undefined) {
      msg.warn(`ignoring earlier request: '${pattern} = ${old.value ?? '(null)'}'`);
      table.delete(pattern);
    }
    table.enter(pattern, { value, found: 0 });
  }
  const path = `${configDir}/${MAIN_CONF_FILE}`;
  const ep = new EditFile(path);
  let interesting = false;
  for (let next = nextCfLine(ep); next !== undefined; next = nextCfLine(ep)) {
    const [line, cp] = next;
    if (cp > 0) {
      if (!interesting) ep.write(line);
      else if (mode & PCF_COMMENT_OUT) ep.write(`#${line}`);
      continue;
    }
    const key = /^[^ \t\r\n=]*/.exec(line)![0];
    const entry = table.find(key);
    interesting = entry !== undefined;
    if (entry === undefined) {
      ep.write(line);
      continue;
    }
    if (entry.found++ === 1) msg.warn(`${path}: multiple entries for "${key}"`);
    if (mode & PCF_EDIT_CONF) ep.write(`${key} = ${entry.value}\n`);
    else if (mode & PCF_COMMENT_OUT) ep.write(`#${line}`);
  }
  if (mode & PCF_EDIT_CONF) {
    for (const [key, entry] of table.list()) if (entry.found === 0) ep.write(`${key} = ${entry.value}\n`);
  }
  ep.close();
}

interface MasterEditRequest {
  raw: string;
  matches: number;
  pattern: string[];
  field: number;
  value: string | undefined;
}

const EDIT_OPTS = '-Me, -Fe, -Pe, -X, or -#';
const hasBlank = (s: string) => [...s].some((c) => BLANKS.includes(c));

function parseMasterEditRequest(mode: number, raw: string): MasterEditRequest {
  const cp = editRequestText(raw, `${EDIT_OPTS} accept`);
  let name: string;
  let value: string | undefined;
  if (mode & PCF_EDIT_CONF) {
    [name, value] = splitOrDie(cp, raw);
  } else {
    if (cp.includes('=')) msg.fatal('-X or -# requires names without value');
    name = trimTrailing(cp);
  }
  const req: MasterEditRequest = { raw, matches: 0, pattern: [], field: 0, value };
  switch (mode & (PCF_MASTER_ENTRY | PCF_MASTER_FLD | PCF_MASTER_PARAM)) {
    case PCF_MASTER_ENTRY:
      req.pattern = parseServicePattern(name, 2, 2) ?? msg.fatal('-Me, -MX or -M# requires service_name/type');
      break;
    case PCF_MASTER_FLD:
      req.pattern = parseServicePattern(name, 3, 3) ?? msg.fatal('-Fe or -FX requires service_name/type/field_name');
      req.field = parseFieldPattern(req.pattern[2]!);
      if (req.field === PCF_MASTER_FLD_WILDC) msg.fatal('-Fe does not accept wild-card field name');
      if ((mode & PCF_EDIT_CONF) && req.field < PCF_MASTER_FLD_CMD && hasBlank(value!)) {
        msg.fatal('-Fe does not accept whitespace in non-command field');
      }
      break;
    case PCF_MASTER_PARAM:
      req.pattern = parseServicePattern(name, 3, 3) ?? msg.fatal('-Pe or -PX requires service_name/type/parameter');
      if (req.pattern[2] === '*') msg.fatal('-Pe does not accept wild-card parameter name');
      if ((mode & PCF_EDIT_CONF) && hasBlank(value!)) msg.fatal('-Pe does not accept whitespace in parameter value');
      break;
    default:
      msg.panic(`pcf_edit_master: unknown edit mode ${mode}`);
  }
  return req;
}

function parseOrDie(text: string, what: string): MasterEntry {
  const entry = parseMasterEntry(text);
  if (typeof entry === 'string') msg.fatal(`${entry}: "${what}"`);
  return entry;
}

const noExpand = (value: string) => value;

/** Postfix: pcf_edit_master(). */
export function editMaster(configDir: string, mode: number, args: readonly string[]): void {
  const requests = args.map((raw) => parseMasterEditRequest(mode, raw));
  const path = `${configDir}/${MASTER_CONF_FILE}`;
  const ep = new EditFile(path);
  const counter = { lineno: 0 };
  const editEntry = (mode & PCF_MASTER_ENTRY) !== 0 && (mode & PCF_EDIT_CONF) !== 0;
  let matched = false;
  for (let next = nextCfLine(ep, counter); next !== undefined; next = nextCfLine(ep, counter)) {
    const [line, cp] = next;
    if (cp > 0) {
      if (!matched) ep.write(line);
      else if (mode & PCF_COMMENT_OUT) ep.write(`#${line}`);
      continue;
    }
    matched = false;
    const words = line.split(/[ \t\r\n]+/).filter((w) => w !== '');
    const [name, type] = words;
    if (name === undefined || type === undefined) {
      msg.fatal(`file ${path}: line ${counter.lineno}: specify service name and type on the same line`);
    }
    if (name.includes('=')) {
      msg.fatal(`file ${path}: line ${counter.lineno}: service name syntax "${name}" is unsupported with ${EDIT_OPTS}`);
    }
    if (/[=/]/.test(type)) {
      msg.fatal(`file ${path}: line ${counter.lineno}: service type syntax "${type}" is unsupported with ${EDIT_OPTS}`);
    }
    const here = { argv: [name, type] } as MasterEntry;
    let newEntry: MasterEntry | undefined;
    for (const req of requests) {
      const tentative = editEntry ? parseOrDie(req.value!, req.raw) : undefined;
      let useTentative = false;
      if (matchService(req.pattern, here)) {
        matched = true;
        req.matches++;
        if ((mode & PCF_EDIT_CONF) || ((mode & PCF_MASTER_PARAM) && (mode & PCF_EDIT_EXCL))) {
          if (mode & (PCF_MASTER_FLD | PCF_MASTER_PARAM)) {
            if (newEntry === undefined) {
              const full = gobbleCfLine(line, ep);
              const parsed = parseMasterEntry(full);
              if (typeof parsed === 'string') msg.fatal(`file ${path}: line ${counter.lineno}: ${parsed}`);
              newEntry = parsed;
            }
            if (mode & PCF_MASTER_FLD) editMasterField(newEntry, req.field, req.value!);
            else editMasterParam(newEntry, (mode & PCF_EDIT_EXCL) !== 0, req.pattern[2]!, req.value ?? '');
          } else if (req.matches === 1) {
            useTentative = true;
          }
        }
      } else if (tentative !== undefined && matchService(tentative.argv, here)) {
        matched = true;
        req.matches++;
        if (req.matches === 1) useTentative = true;
      }
      if (tentative !== undefined && useTentative) newEntry = tentative;
    }
    if (newEntry !== undefined) printMasterEntry(ep, PCF_FOLD_LINE, newEntry, noExpand);
    else if (!matched) ep.write(line);
    else if (mode & PCF_COMMENT_OUT) ep.write(`#${line}`);
  }
  for (const req of requests) {
    if (req.matches > 0) continue;
    if (editEntry) printMasterEntry(ep, PCF_FOLD_LINE, parseOrDie(req.value!, req.raw), noExpand);
    else if ((mode & PCF_MASTER_ENTRY) === 0) msg.warn(`unmatched service_name/type: "${req.raw}"`);
  }
  ep.close();
}
