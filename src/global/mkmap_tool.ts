/*
 * mkmap_tool - what postmap(1) and postalias(1) have in common: reading main.cf, building a
 * table from a source file (or standard input for -i) as the source's owner and with its
 * permissions, and the -q, -d and -s requests over one or more tables.
 * Counterpart: the functions that postfix/src/postmap/postmap.c and
 * postfix/src/postalias/postalias.c each have a copy of. What differs between the two
 * (the source syntax, the output format, postmap's -F and error wording) is passed in.
 */
import { closeSync, fstatSync, openSync, type Stats } from 'node:fs';
import { msg } from '../util/msg.js';
import { percentM, strerror } from '../util/strerror.js';
import { readAllSync, vstreamOut } from '../util/vstream.js';
import { allAscii, cString, validUtf8String } from '../util/stringops.js';
import { readLogicalLines } from '../util/readlline.js';
import { setUtilUtf8Enable } from '../util/printable.js';
import { updateEnv } from '../util/clean_env.js';
import { setEugid } from '../util/set_eugid.js';
import {
  type Dict, DICT_FLAG_BULK_UPDATE, DICT_FLAG_DUP_IGNORE, DICT_FLAG_DUP_REPLACE, DICT_FLAG_DUP_WARN, DICT_FLAG_FOLD_FIX,
  DICT_FLAG_LOCK, DICT_FLAG_TRY0NULL, DICT_FLAG_TRY1NULL, DICT_FLAG_UTF8_ACTIVE, DICT_FLAG_UTF8_REQUEST, DICT_SEQ_FUN_FIRST, DICT_SEQ_FUN_NEXT,
  DictBulkRestart, O_CREAT, O_RDONLY, O_RDWR, O_TRUNC,
} from '../util/dict.js';
import { dictOpen3 } from '../util/dict_open.js';
import { setDictDbCacheSize } from '../util/dict_db.js';
import { setDictLmdbMapSize } from '../util/dict_lmdb.js';
import { CONF_ENV_PATH, loadMainCf, mailConfRead } from './mail_conf.js';
import { mailParamsCheck } from './mail_params_check.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from './maillog_client.js';
import { mailTask, setMailTaskSyslogName } from './mail_task.js';
import { mailParmSplit } from './mail_parm_split.js';
import { mailDictInit } from './mail_dict.js';
import { type Mkmap, mkmapClose, mkmapOpen } from './mkmap.js';

export const MKMAP_TOOL_AS_OWNER = 1 << 0; // build as the owner of the source file
export const MKMAP_TOOL_SAVE_PERM = 1 << 1; // copy the source file's permissions

let dbType = 'hash';

/**
 * Read main.cf as mail_params_init() does for these programs: the environment settings,
 * the logging identity, SMTPUTF8, the default table type and the table tuning knobs.
 */
export function mkmapToolConfig(argv0: string): { myhostname: string } {
  // Postfix: mail_conf_read(), with the checks of mail_params_init() before anything else.
  mailConfRead();
  mailParamsCheck();
  const cfg = loadMainCf(['syslog_name', 'import_environment', 'default_database_type', 'smtputf8_enable',
    'berkeley_db_create_buffer_size', 'berkeley_db_read_buffer_size', 'lmdb_map_size', 'myhostname']);
  updateEnv(mailParmSplit('import_environment', cfg.import_environment));
  setMailTaskSyslogName(cfg.syslog_name);
  maillogClientInit(mailTask(argv0), MAILLOG_CLIENT_FLAG_NONE);
  setUtilUtf8Enable(cfg.smtputf8_enable);
  dbType = cfg.default_database_type;
  mailDictInit();
  setDictDbCacheSize(cfg.berkeley_db_read_buffer_size);
  setDictLmdbMapSize(cfg.lmdb_map_size);
  return { myhostname: cfg.myhostname };
}

/** "type:name", or a bare name of default_database_type. */
export function splitMapName(spec: string): [string, string] {
  const colon = spec.indexOf(':');
  return colon < 0 ? [dbType, spec] : [spec.slice(0, colon), spec.slice(colon + 1)];
}

/** Lines of standard input as vstring_get_nonl() returns them (C strings). */
export function stdinLines(): string[] {
  const lines = readAllSync(0).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map(cString);
}

export function warnEmptyResult(type: string, name: string, key: string): void {
  msg.warn(`table ${type}:${name}: key ${key}: empty string result is not allowed`);
  msg.warn(`table ${type}:${name} should return NO RESULT in case of NOT FOUND`);
}

/**
 * The logical lines of a source as C strings, numbered, without those that the UTF-8
 * checks of the table reject (with a warning).
 */
export function* sourceLines(dict: Dict, sourcePath: string, text: string): Generator<{ line: string; lineno: number }> {
  for (const { text: raw, lineno } of readLogicalLines(text, sourcePath)) {
    const line = cString(raw);
    if ((dict.flags & DICT_FLAG_UTF8_ACTIVE) && !allAscii(line) && !validUtf8String(line)) {
      msg.warn(`${sourcePath}, line ${lineno}: non-UTF-8 input "${line}" -- ignoring this line`);
      continue;
    }
    yield { line, lineno };
  }
}

/** Adds the source's records; called again from the top when a bulk update restarts. */
export type RecordReader = (mkmap: Mkmap, sourcePath: string, text: string, dictFlags: number) => Promise<void>;

export interface BuiltTable {
  mkmap: Mkmap;
  /** Standard input (-i) rather than a source file. */
  incremental: boolean;
}

/**
 * Postfix: the common part of postmap() and postalias(): open the source (standard input
 * for an incremental update), open the table as the source's owner, add the records, and
 * finish (postalias's trailer records, then mkmapClose()).
 */
export async function buildTable(mapType: string, pathName: string, toolFlags: number, openFlags: number,
  dictFlags: number, addRecords: RecordReader, finish: (built: BuiltTable) => Promise<void>): Promise<void> {
  const incremental = (openFlags & O_TRUNC) === 0;
  let sourcePath = 'stdin';
  let sourceFd = 0;
  if (!incremental) {
    if (mapType === 'proxy') msg.fatal("can't create maps via the proxy service");
    dictFlags |= DICT_FLAG_BULK_UPDATE;
    sourcePath = pathName;
    try {
      sourceFd = openSync(pathName, 'r');
    } catch (err) {
      return msg.fatal(`open ${pathName}: ${strerror(err)}`);
    }
  }
  let st: Stats;
  try {
    st = fstatSync(sourceFd);
  } catch (err) {
    return msg.fatal(`fstat ${pathName}: ${strerror(err)}`);
  }
  // The table gets no more group/other permissions than its source.
  let savedMask: number | undefined;
  if ((toolFlags & MKMAP_TOOL_SAVE_PERM) && st.isFile()) savedMask = process.umask(0o022 | (~st.mode & 0o077));
  // As root, build as the owner of the source: the table gets the right owner, and a bug
  // here cannot be used to write where the owner could not.
  if ((toolFlags & MKMAP_TOOL_AS_OWNER) && process.getuid!() === 0
    && (st.uid !== process.geteuid!() || st.gid !== process.getegid!())) {
    setEugid(st.uid, st.gid);
  }
  const mkmap = await mkmapOpen(mapType, pathName, openFlags, dictFlags);
  if (savedMask !== undefined) process.umask(savedMask);
  const text = readAllSync(sourceFd);
  const seekable = !st.isFIFO() && !st.isSocket() && !st.isCharacterDevice();
  if (sourceFd !== 0) closeSync(sourceFd);
  // A table that restarts its bulk update needs every record again, from the top; this
  // may happen as late as the commit when it is closed (Postfix longjmp()s back from there).
  for (;;) {
    try {
      await addRecords(mkmap, sourcePath, text, dictFlags);
      await finish({ mkmap, incremental });
      return;
    } catch (err) {
      if (!(err instanceof DictBulkRestart)) throw err;
      if (!seekable) msg.fatal(`seek ${sourcePath}: Illegal seek`);
    }
  }
}

/** Postfix: the check after each mkmap_append(). */
export function checkWriteError(dict: Dict): void {
  if (dict.error) msg.fatal(`table ${dict.type}:${dict.name}: write error: ${percentM(dict.errno)}`);
}

export { mkmapClose };

/** How a program answers queries: its lookup, output line, and query error wording. */
export interface QueryStyle {
  lookup(dict: Dict, key: string): Promise<string | null>;
  /** The "-q -" and -s output line for a key and value. */
  line(key: string, value: string): string;
  queryError(dict: Dict): never;
}

/** A plain lookup whose value is seen as a C string, as Postfix sees it. */
export async function plainLookup(dict: Dict, key: string): Promise<string | null> {
  const value = await dict.lookup(key);
  return value === null ? null : cString(value);
}

/** Postfix: postmap_queries() / postalias_queries(): keys from standard input. */
export async function queryTables(maps: string[], dictFlags: number, style: QueryStyle): Promise<boolean> {
  const dicts: (Dict | undefined)[] = maps.map(() => undefined);
  let found = false;
  for (const key of stdinLines()) {
    for (let n = 0; n < maps.length; n++) {
      // Tables are opened when first needed, so that unneeded ones are never opened.
      const dict = dicts[n] ??= await dictOpen3(...splitMapName(maps[n]!), O_RDONLY, dictFlags);
      const value = await style.lookup(dict, key);
      if (value !== null) {
        if (value === '') warnEmptyResult(dict.type, dict.name, key);
        vstreamOut.write(style.line(key, value));
        found = true;
        break;
      }
      if (dict.error) style.queryError(dict);
    }
  }
  if (found) vstreamOut.flush();
  for (const dict of dicts) await dict?.close();
  return found;
}

/** Postfix: postmap_query() / postalias_query(): one key, one table. */
export async function queryTable(spec: string, key: string, dictFlags: number, style: QueryStyle): Promise<boolean> {
  const [mapType, mapName] = splitMapName(spec);
  const dict = await dictOpen3(mapType, mapName, O_RDONLY, dictFlags);
  const value = await style.lookup(dict, key);
  if (value !== null) {
    if (value === '') warnEmptyResult(mapType, mapName, key);
    vstreamOut.write(`${value}\n`);
  }
  if (dict.error) style.queryError(dict);
  vstreamOut.flush();
  await dict.close();
  return value !== null;
}

function deleteError(dict: Dict): never {
  return msg.fatal(`table ${dict.type}:${dict.name}: delete error: ${percentM(dict.errno)}`);
}

/** Open for a delete: the proxy client must be allowed to create. */
function openForDelete(spec: string, dictFlags: number): Promise<Dict> {
  const [type, name] = splitMapName(spec);
  return dictOpen3(type, name, type === 'proxy' ? O_RDWR | O_CREAT : O_RDWR, dictFlags);
}

/** Postfix: postmap_deletes() / postalias_deletes(): keys from standard input. */
export async function deleteKeys(maps: string[], dictFlags: number): Promise<boolean> {
  const dicts: Dict[] = [];
  for (const spec of maps) dicts.push(await openForDelete(spec, dictFlags));
  let found = false;
  for (const key of stdinLines()) {
    for (const dict of dicts) {
      if (await dict.delete(key) === 0) found = true;
      if (dict.error) deleteError(dict);
    }
  }
  for (const dict of dicts) await dict.close();
  return found;
}

/** Postfix: postmap_delete() / postalias_delete(). */
export async function deleteKey(spec: string, key: string, dictFlags: number): Promise<boolean> {
  const dict = await openForDelete(spec, dictFlags);
  const status = await dict.delete(key);
  if (dict.error) deleteError(dict);
  await dict.close();
  return status === 0;
}

/**
 * Postfix: postmap_seq() / postalias_seq(): print every entry. decode turns a stored value
 * into what is printed, or null (after a warning) to skip the entry.
 */
export async function listTable(spec: string, dictFlags: number, line: (key: string, value: string) => string,
  decode: (dict: Dict, key: string, value: string) => string | null = (_d, _k, value) => value): Promise<void> {
  const [mapType, mapName] = splitMapName(spec);
  if (mapType === 'proxy') msg.fatal("can't sequence maps via the proxy service");
  const dict = await dictOpen3(mapType, mapName, O_RDONLY, dictFlags);
  for (let func = DICT_SEQ_FUN_FIRST; ; func = DICT_SEQ_FUN_NEXT) {
    const entry = await dict.sequence(func);
    if (entry === null) break;
    const key = cString(entry.key);
    const value = cString(entry.value);
    if (key === '') {
      msg.warn(`table ${mapType}:${mapName}: empty lookup key value is not allowed`);
    } else if (value === '') {
      warnEmptyResult(mapType, mapName, key);
    }
    const shown = decode(dict, key, value);
    if (shown === null) continue;
    vstreamOut.write(line(key, cString(shown)));
  }
  if (dict.error) msg.fatal(`table ${dict.type}:${dict.name}: sequence error: ${percentM(dict.errno)}`);
  vstreamOut.flush();
  await dict.close();
}

/** The request the command line makes, as the options shared by both programs set it. */
export interface ToolRequest {
  toolFlags: number;
  openFlags: number;
  dictFlags: number;
  query?: string;
  delkey?: string;
  sequence: boolean;
}

/** The defaults: build (or rebuild) as the source's owner, fold keys, warn about duplicates. */
export function toolRequest(): ToolRequest {
  return {
    toolFlags: MKMAP_TOOL_AS_OWNER | MKMAP_TOOL_SAVE_PERM,
    openFlags: O_RDWR | O_CREAT | O_TRUNC,
    dictFlags: DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX | DICT_FLAG_UTF8_REQUEST,
    sequence: false,
  };
}

/** An option letter that postmap and postalias both have; false for the others. */
export function toolOption(req: ToolRequest, ch: string, optarg: string | undefined): boolean {
  const busy = () => req.sequence || req.query !== undefined || req.delkey !== undefined;
  switch (ch) {
    case 'N':
      req.dictFlags = (req.dictFlags | DICT_FLAG_TRY1NULL) & ~DICT_FLAG_TRY0NULL;
      break;
    case 'c':
      process.env[CONF_ENV_PATH] = optarg!;
      break;
    case 'd':
      if (busy()) msg.fatal('specify only one of -s -q or -d');
      req.delkey = optarg!;
      break;
    case 'f':
      req.dictFlags &= ~DICT_FLAG_FOLD_FIX;
      break;
    case 'i':
      req.openFlags &= ~O_TRUNC;
      break;
    case 'n':
      req.dictFlags = (req.dictFlags | DICT_FLAG_TRY0NULL) & ~DICT_FLAG_TRY1NULL;
      break;
    case 'o':
      req.toolFlags &= ~MKMAP_TOOL_AS_OWNER;
      break;
    case 'p':
      req.toolFlags &= ~MKMAP_TOOL_SAVE_PERM;
      break;
    case 'q':
      if (busy()) msg.fatal('specify only one of -s -q or -d');
      req.query = optarg!;
      break;
    case 'r':
      req.dictFlags = (req.dictFlags & ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE)) | DICT_FLAG_DUP_REPLACE;
      break;
    case 's':
      if (req.query !== undefined || req.delkey !== undefined) msg.fatal('specify only one of -s or -q or -d');
      req.sequence = true;
      break;
    case 'u':
      req.dictFlags &= ~DICT_FLAG_UTF8_REQUEST;
      break;
    case 'v':
      msg.verbose++;
      break;
    case 'w':
      req.dictFlags = (req.dictFlags & ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_REPLACE)) | DICT_FLAG_DUP_IGNORE;
      break;
    default:
      return false;
  }
  return true;
}

/** What a program brings to runToolRequest(). */
export interface ToolActions {
  usage(): never;
  style: QueryStyle;
  /** "-q -", which postmap may answer differently (-b, -h). */
  queries?: (maps: string[], dictFlags: number) => Promise<boolean>;
  decode?: (dict: Dict, key: string, value: string) => string | null;
  records: RecordReader;
  /** After the records of a build; must close the table. */
  finish?: (built: BuiltTable) => Promise<void>;
}

/** Postfix: the end of main() in postmap and postalias: delete, query, list or build. */
export async function runToolRequest(req: ToolRequest, maps: string[], act: ToolActions): Promise<never> {
  const dictFlags = req.dictFlags | DICT_FLAG_LOCK;
  if (req.delkey !== undefined) {
    if (maps.length === 0) act.usage();
    if (req.delkey === '-') process.exit(await deleteKeys(maps, dictFlags) ? 0 : 1);
    let found = false;
    for (const spec of maps) if (await deleteKey(spec, req.delkey, dictFlags)) found = true;
    process.exit(found ? 0 : 1);
  }
  if (req.query !== undefined) {
    if (maps.length === 0) act.usage();
    if (req.query === '-') process.exit(await (act.queries ?? ((m, f) => queryTables(m, f, act.style)))(maps, dictFlags) ? 0 : 1);
    for (const spec of maps) if (await queryTable(spec, req.query, dictFlags, act.style)) process.exit(0);
    process.exit(1);
  }
  if (req.sequence) {
    // Only the first table is listed, as in Postfix.
    if (maps.length === 0) process.exit(1);
    await listTable(maps[0]!, dictFlags, act.style.line, act.decode);
    process.exit(0);
  }
  if (maps.length === 0) act.usage();
  for (const spec of maps) {
    const [mapType, pathName] = splitMapName(spec);
    await buildTable(mapType, pathName, req.toolFlags, req.openFlags, req.dictFlags, act.records,
      act.finish ?? ((b) => mkmapClose(b.mkmap)));
  }
  process.exit(0);
}
