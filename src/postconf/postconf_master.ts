/*
 * postconf_master - read, check, print and change master.cf entries for postconf.
 * Counterpart: postfix/src/postconf/postconf_master.c and postconf_match.c. An entry is
 * eight fields and the command's arguments; "-o name=value" and "-o { name = value }"
 * are normalized to "-o" "name=value" as Postfix does before it prints them.
 */
import { readFileSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { CHARS_BRACE, splitQuoted as splitQuotedAny } from '../util/stringops.js';
import { isErrno, strerror } from '../util/strerror.js';
import { MASTER_CONF_FILE, readLogicalLines, splitNameval } from '../global/mail_conf.js';
import { VAR_PROCNAME, VAR_SERVNAME } from '../global/mail_params.js';
import type { ParamNode } from './postconf_node.js';
import { PCF_FOLD_LINE, PCF_HIDE_NAME, PCF_HIDE_VALUE, PCF_SHOW_EVAL, PCF_LINE_LIMIT, PCF_INDENT_LEN,
  PCF_INDENT_TEXT, printLine, type Output } from './postconf_print.js';

export const PCF_MASTER_MIN_FIELDS = 8;
export const PCF_MASTER_FLD_TYPE = 1;
export const PCF_MASTER_FLD_PRIVATE = 2;
export const PCF_MASTER_FLD_CHROOT = 4;
export const PCF_MASTER_FLD_WAKEUP = 5;
export const PCF_MASTER_FLD_MAXPROC = 6;
export const PCF_MASTER_FLD_CMD = 7;
export const PCF_MASTER_FLD_WILDC = -1;

export const FIELD_NAMES = ['service', 'type', 'private', 'unprivileged', 'chroot', 'wakeup', 'process_limit', 'command'];
const MASTER_TYPES = ['unix', 'fifo', 'inet', 'pass', 'unix-dgram'];
const BLANKS = ' \t\r\n';
/** Daemon options that take a value (Postfix: pcf_daemon_options_expecting_value). */
const OPTIONS_WITH_VALUE = 'o';

export interface MasterEntry {
  argv: string[];
  nameSpace: string;
  roParams: Map<string, string>;
  allParams?: Map<string, string>;
  validNames?: Map<string, ParamNode>;
}

/** Postfix: pcf_master_table. */
export const masterTable: MasterEntry[] = [];

const isBlank = (ch: string) => BLANKS.includes(ch);

/** Postfix: argv_splitq() with "{}" grouping: words separated by blanks, braces kept. */
export const splitQuoted = (text: string, sep = BLANKS): string[] => splitQuotedAny(text, sep, CHARS_BRACE);

/** Length of the balanced {...} text at the start of s, or 0 (Postfix: balpar()). */
function balancedLength(s: string): number {
  let level = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') level++;
    else if (s[i] === '}' && --level === 0) return i + 1;
  }
  return 0;
}

/** Postfix: extpar() with EXTPAR_FLAG_STRIP: the text inside braces, or an error. */
export function extractBraced(text: string, strip = true): [string, string | undefined] {
  let err: string | undefined;
  let inner: string;
  if (text[0] !== '{') {
    return [strip ? stripBlanks(text) : text, `no '{' at start of text in "${text}"`];
  }
  const len = balancedLength(text);
  if (len === 0) {
    err = `missing '}' in "${text}"`;
    inner = text.slice(1);
  } else {
    if (len < text.length) err = `syntax error after '}' in "${text}"`;
    inner = text.slice(1, len - 1);
  }
  return [strip ? stripBlanks(inner) : inner, err];
}

const stripBlanks = (s: string) => s.replace(/^[ \t\n\r\v\f]+/, '').replace(/[ \t\n\r\v\f]+$/, '');

function extractField(argv: string[], field: number): void {
  const [inner, err] = extractBraced(argv[field]!);
  if (err !== undefined) msg.warn(`${MASTER_CONF_FILE}: ${err}`);
  argv[field] = inner;
}

function normalizeNameval(argv: string[], field: number): void {
  const nv = splitNameval(argv[field]!);
  if (typeof nv === 'string') msg.warn(`${MASTER_CONF_FILE}: ${nv}: "${argv[field]}"`);
  else argv[field] = `${nv[0]}=${nv[1]}`;
}

/** Postfix: pcf_normalize_daemon_args(). */
function normalizeDaemonArgs(argv: string[]): void {
  let field = PCF_MASTER_MIN_FIELDS;
  for (; field < argv.length; field++) {
    let arg = argv[field]!;
    if (arg[0] !== '-' || arg === '--') break;
    // "-vo" becomes "-v" "-o": an option taking a value starts a word of its own.
    for (let cp = 1; cp < arg.length; cp++) {
      if (OPTIONS_WITH_VALUE.includes(arg[cp]!) && cp > 1) {
        argv.splice(field + 1, 0, `-${arg.slice(cp)}`);
        arg = argv[field] = arg.slice(0, cp);
        break;
      }
    }
    if (arg[1] === undefined || !OPTIONS_WITH_VALUE.includes(arg[1])) continue;
    let extract = false;
    if (arg.length > 2) {
      argv.splice(field + 1, 0, arg.slice(2));
      argv[field] = arg.slice(0, 2);
      field += 1;
      extract = argv[field]![0] === '{';
    } else if (field + 1 < argv.length) {
      field += 1;
      extract = argv[field]![0] === '{';
    }
    if (extract) {
      extractField(argv, field);
      if (argv[field - 1]![1] === 'o') normalizeNameval(argv, field);
    }
  }
  for (; field < argv.length; field++) {
    if (argv[field]![0] === '{') extractField(argv, field);
  }
}

function fixFatal(text: string): never {
  return msg.fatal(text.replace(/\n/g, ' '));
}

/** Postfix: pcf_check_master_entry(). */
function checkMasterEntry(argv: string[], rawText: string): void {
  const type = argv[PCF_MASTER_FLD_TYPE]!;
  if (!MASTER_TYPES.includes(type)) fixFatal(`invalid type field "${type}" in "${rawText}"`);
  for (let field = PCF_MASTER_FLD_PRIVATE; field <= PCF_MASTER_FLD_CHROOT; field++) {
    const cp = argv[field]!;
    if (cp.length !== 1 || !'yn-'.includes(cp)) fixFatal(`invalid ${FIELD_NAMES[field]} field "${cp}" in "${rawText}"`);
  }
  const wakeup = argv[PCF_MASTER_FLD_WAKEUP]!;
  const len = wakeup.endsWith('?') ? wakeup.length - 1 : wakeup.length;
  const digits = /^[0-9]*/.exec(wakeup)![0].length;
  if (!(wakeup[0] === '-' && len === 1) && digits !== len) fixFatal(`invalid wakeup field "${wakeup}" in "${rawText}"`);
  const maxproc = argv[PCF_MASTER_FLD_MAXPROC]!;
  if (maxproc !== '-' && !/^[0-9]*$/.test(maxproc)) fixFatal(`invalid process_limit field "${maxproc}" in "${rawText}"`);
}

/** Postfix: pcf_parse_master_entry(); returns an error text for a bad field count. */
export function parseMasterEntry(text: string): MasterEntry | string {
  const argv = splitQuoted(text);
  if (argv.length < PCF_MASTER_MIN_FIELDS) return 'bad field count';
  checkMasterEntry(argv, text);
  normalizeDaemonArgs(argv);
  const cmd = argv[PCF_MASTER_FLD_CMD]!;
  const processName = cmd.slice(cmd.lastIndexOf('/') + 1);
  const roParams = new Map<string, string>([
    [VAR_PROCNAME, processName],
    [VAR_SERVNAME, processName !== argv[0] ? argv[0]! : processName],
  ]);
  return { argv, nameSpace: `${argv[0]}/${argv[1]}`, roParams };
}

/** Postfix: pcf_read_master(). */
export function readMaster(configDir: string, failOnOpenError: boolean): void {
  const path = `${configDir}/${MASTER_CONF_FILE}`;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    if (isErrno(err, 'EISDIR')) return; // opens, then reads nothing, as in Postfix
    if (failOnOpenError) msg.fatal(`open ${path}: ${strerror(err)}`);
    msg.warn(`open ${path}: ${strerror(err)}`);
    return;
  }
  for (const { text: line, lineno } of readLogicalLines(text, path)) {
    const entry = parseMasterEntry(line);
    if (typeof entry === 'string') msg.fatal(`file ${path}: line ${lineno}: ${entry}`);
    masterTable.push(entry);
  }
}

/** -o settings by "service/type"; entries with the same name and type share one, as in Postfix. */
const namespaceParams = new Map<string, Map<string, string>>();

/** The -o values of an entry, name to value (Postfix: the all_params dictionary). */
export function collectMasterParams(entry: MasterEntry): void {
  const argv = entry.argv;
  for (let field = PCF_MASTER_MIN_FIELDS; field < argv.length; field++) {
    const arg = argv[field]!;
    if (arg[0] !== '-' || arg === '--') break;
    if (arg[1] === undefined || !OPTIONS_WITH_VALUE.includes(arg[1]) || field + 1 >= argv.length) continue;
    if (arg === '-o') {
      const nv = splitNameval(argv[field + 1]!);
      if (typeof nv !== 'string') {
        let params = namespaceParams.get(entry.nameSpace);
        if (params === undefined) namespaceParams.set(entry.nameSpace, params = new Map());
        params.set(nv[0], nv[1]);
      }
    }
    field += 1;
  }
  const params = namespaceParams.get(entry.nameSpace);
  if (params !== undefined) {
    entry.allParams = params;
    entry.validNames = new Map();
  }
}

type Expand = (value: string, entry: MasterEntry) => string;

/** The command and its arguments, braced where they contain blanks, folded as Postfix does. */
function writeCommandArgs(out: Output, mode: number, entry: MasterEntry, start: number, lineLen: number,
  expand: Expand, valueExtra: number): void {
  const argv = entry.argv;
  let inOptions = true;
  for (let field = start; field < argv.length; field++) {
    const arg = argv[field]!;
    let argLen = arg.length;
    let aval: string | undefined;
    let parens = false;
    if (!inOptions) {
      parens = [...arg].some(isBlank);
    } else {
      // The first word after the options is never braced, as in Postfix.
      if (arg[0] !== '-' || arg === '--') {
        inOptions = false;
      } else if (arg[1] !== undefined && OPTIONS_WITH_VALUE.includes(arg[1]) && field + 1 < argv.length) {
        aval = argv[field + 1]!;
        lineLen = PCF_LINE_LIMIT;
        if (arg === '-o' && (mode & PCF_SHOW_EVAL)) aval = expand(aval, entry);
        argLen += aval.length + valueExtra;
        parens = [...aval].some(isBlank);
        if (parens) argLen += 2;
      }
    }
    if (lineLen > PCF_INDENT_LEN) {
      if ((mode & PCF_FOLD_LINE) === 0 || lineLen + 1 + argLen < PCF_LINE_LIMIT) {
        out.write(' ');
        lineLen += 1;
      } else {
        out.write(`\n${PCF_INDENT_TEXT}`);
        lineLen = PCF_INDENT_LEN;
      }
    }
    const braced = !inOptions && parens;
    out.write(braced ? `{${arg}}` : arg);
    lineLen += arg.length + (braced ? 2 : 0);
    if (aval !== undefined) {
      out.write(parens ? ` {${aval}}` : ` ${aval}`);
      field += 1;
      lineLen = PCF_LINE_LIMIT;
    }
  }
  out.write('\n');
}

const COLUMN_GOAL = [0, 11, 17, 25, 33, 41, 49, 57];

/** Postfix: pcf_print_master_entry(). */
export function printMasterEntry(out: Output, mode: number, entry: MasterEntry, expand: Expand): void {
  let line = '';
  for (let field = 0; field < PCF_MASTER_MIN_FIELDS; field++) {
    if (line.length > 0) {
      do line += ' '; while (line.length < COLUMN_GOAL[field]!);
    }
    line += entry.argv[field]!;
  }
  out.write(line);
  writeCommandArgs(out, mode, entry, PCF_MASTER_MIN_FIELDS, line.length, expand, 3);
}

/** Postfix: pcf_print_master_field(). */
function printMasterField(out: Output, mode: number, entry: MasterEntry, field: number, expand: Expand): void {
  const argv = entry.argv;
  let lineLen = 0;
  if ((mode & PCF_HIDE_NAME) === 0) {
    const name = `${argv[0]}/${argv[1]}/${FIELD_NAMES[field]}`;
    out.write(name);
    lineLen += name.length;
  }
  if ((mode & (PCF_HIDE_NAME | PCF_HIDE_VALUE)) === 0) {
    out.write(' = ');
    lineLen += 3;
  }
  if ((mode & PCF_HIDE_VALUE) === 0) {
    if (lineLen > 0 && lineLen + argv[field]!.length > PCF_LINE_LIMIT) {
      out.write(`\n${PCF_INDENT_TEXT}`);
      lineLen = PCF_INDENT_LEN;
    }
    out.write(argv[field]!);
    lineLen += argv[field]!.length;
  }
  if (field === PCF_MASTER_FLD_CMD && (mode & PCF_HIDE_VALUE) === 0) {
    writeCommandArgs(out, mode, entry, field + 1, lineLen, expand, 1);
  } else {
    out.write('\n');
  }
}

/** Postfix: pcf_parse_service_pattern(): name[/type[/more]], "*" matching anything. */
export function parseServicePattern(pattern: string, min: number, max: number): string[] | undefined {
  if (pattern[0] === '/') return undefined;
  const parts = pattern.split('/').filter((p) => p !== '');
  if (parts.length < min || parts.length > max) return undefined;
  if (parts.some((p) => p !== '*' && p.includes('*'))) return undefined;
  while (parts.length < max) parts.push('*');
  return parts;
}

const matchString = (pattern: string, s: string) => pattern === '*' || pattern === s;

/** Postfix: PCF_MATCH_SERVICE_PATTERN(). */
export function matchService(pattern: readonly string[], entry: MasterEntry): boolean {
  return matchString(pattern[0]!, entry.argv[0]!) && matchString(pattern[1]!, entry.argv[1]!);
}

/** Postfix: pcf_parse_field_pattern(). */
export function parseFieldPattern(name: string): number {
  if (name === '*') return PCF_MASTER_FLD_WILDC;
  const field = FIELD_NAMES.indexOf(name);
  if (field < 0) msg.fatal(`invalid service attribute name: "${name}"`);
  return field;
}

interface Request { raw: string; pattern: string[]; matches: number }

function parseRequests(args: readonly string[], max: number, usage: string): Request[] {
  return args.map((raw) => {
    const pattern = parseServicePattern(raw, 1, max);
    if (pattern === undefined) msg.fatal(usage);
    return { raw, pattern, matches: 0 };
  });
}

function warnUnmatched(requests: readonly Request[]): void {
  for (const req of requests) if (req.matches === 0) msg.warn(`unmatched request: "${req.raw}"`);
}

/** Postfix: pcf_show_master_entries() (postconf -M). */
export function showMasterEntries(out: Output, mode: number, args: readonly string[], expand: Expand): void {
  const requests = parseRequests(args, 2, '-M option requires service_name[/type]');
  for (const entry of masterTable) {
    if (requests.length === 0) printMasterEntry(out, mode, entry, expand);
    for (const req of requests) {
      if (!matchService(req.pattern, entry)) continue;
      req.matches++;
      printMasterEntry(out, mode, entry, expand);
    }
  }
  warnUnmatched(requests);
}

/** Postfix: pcf_show_master_fields() (postconf -F). */
export function showMasterFields(out: Output, mode: number, args: readonly string[], expand: Expand): void {
  const requests = parseRequests(args, 3, '-F option requires service_name[/type[/field]]');
  const fields = requests.map((req) => parseFieldPattern(req.pattern[2]!));
  const all = (entry: MasterEntry) => {
    for (let field = 0; field <= PCF_MASTER_FLD_CMD; field++) printMasterField(out, mode, entry, field, expand);
  };
  for (const entry of masterTable) {
    if (requests.length === 0) all(entry);
    requests.forEach((req, i) => {
      if (!matchService(req.pattern, entry)) return;
      req.matches++;
      if (fields[i] === PCF_MASTER_FLD_WILDC) all(entry);
      else printMasterField(out, mode, entry, fields[i]!, expand);
    });
  }
  warnUnmatched(requests);
}

function printMasterParam(out: Output, mode: number, entry: MasterEntry, name: string, value: string, expand: Expand): void {
  if (mode & PCF_HIDE_VALUE) {
    printLine(out, mode, `${entry.nameSpace}/${name}\n`);
  } else {
    const shown = (mode & PCF_SHOW_EVAL) ? expand(value, entry) : value;
    if ((mode & PCF_HIDE_NAME) === 0) printLine(out, mode, `${entry.nameSpace}/${name} = ${shown}\n`);
    else printLine(out, mode, `${shown}\n`);
  }
}

function showAnyMasterParam(out: Output, mode: number, entry: MasterEntry, expand: Expand): void {
  const params = entry.allParams!;
  for (const name of [...params.keys()].sort(byteOrder)) printMasterParam(out, mode, entry, name, params.get(name)!, expand);
}

/** strcmp() order of byte strings. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Postfix: pcf_show_master_params() (postconf -P). */
export function showMasterParams(out: Output, mode: number, args: readonly string[], expand: Expand): void {
  const requests = parseRequests(args, 3, '-P option requires service_name[/type[/parameter]]');
  for (const entry of masterTable) {
    const params = entry.allParams;
    if (params === undefined) continue;
    if (requests.length === 0) showAnyMasterParam(out, mode, entry, expand);
    for (const req of requests) {
      if (!matchService(req.pattern, entry)) continue;
      const name = req.pattern[2]!;
      if (name === '*') {
        showAnyMasterParam(out, mode, entry, expand);
        req.matches++;
      } else if (params.has(name)) {
        printMasterParam(out, mode, entry, name, params.get(name)!, expand);
        req.matches++;
      }
    }
  }
  warnUnmatched(requests);
}

/** Postfix: pcf_edit_master_field(). */
export function editMasterField(entry: MasterEntry, field: number, value: string): void {
  if (field === PCF_MASTER_FLD_CMD) {
    entry.argv.length = PCF_MASTER_FLD_CMD;
    entry.argv.push(...splitQuoted(value));
    normalizeDaemonArgs(entry.argv);
  } else {
    entry.argv[field] = value;
  }
  checkMasterEntry(entry.argv, value);
}

/** Postfix: pcf_edit_master_param(): set (edit) or remove (exclude) "-o name=value". */
export function editMasterParam(entry: MasterEntry, exclude: boolean, name: string, value: string): void {
  const argv = entry.argv;
  let matched = false;
  let field = PCF_MASTER_MIN_FIELDS;
  for (; field < argv.length; field++) {
    const arg = argv[field]!;
    if (arg[0] !== '-' || arg === '--') break;
    if (arg[1] === undefined || !OPTIONS_WITH_VALUE.includes(arg[1]) || field + 1 >= argv.length) continue;
    if (arg === '-o' && argv[field + 1]!.startsWith(`${name}=`)) {
      matched = true;
      if (!exclude) {
        argv[field + 1] = `${name}=${value}`;
        entry.allParams?.set(name, value);
      } else {
        argv.splice(field, 2);
        entry.allParams?.delete(name);
        field -= 2;
      }
    }
    field += 1;
  }
  if (!exclude && !matched) {
    argv.splice(field, 0, '-o', `${name}=${value}`);
    entry.allParams?.set(name, value);
  }
}
