#!/usr/bin/env node
/*
 * NAME
 *	postmap - Postfix lookup table management
 * SYNOPSIS
 *	postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [file_type:]file_name ...
 * DESCRIPTION
 *	postmap builds an indexed lookup table from a text file of "key value" lines, and
 *	queries, lists and edits tables of every type this Postfix supports.
 *
 *	Source lines are read as Postfix reads them: a line that starts with white space
 *	continues the one before, "#" starts a comment line, and the key ends at the first
 *	white space that is not inside double quotes or after a backslash. The value is the
 *	rest of the line without surrounding white space. A table name without a type uses
 *	default_database_type.
 *
 *	Options:
 *	-b, -h, -m	With "-q -", read a message and look up its body lines (-b), its
 *			header lines (-h), with MIME processing (-m).
 *	-c dir		Read main.cf from dir.
 *	-d key		Delete key from each table ("-d -": keys from standard input);
 *			exit 0 when something was deleted.
 *	-f		Do not fold keys to lower case when building or querying.
 *	-F		Values are file names; the tables store the files' contents in base64.
 *	-i		Incremental: add standard input to the table, do not recreate it.
 *	-n, -N		Do not, or do, count a terminating null byte in keys and values.
 *	-o		Do not build as the owner of the source file (when run as root).
 *	-p		Do not copy the source file's permissions to the table.
 *	-q key		Print the value of key from the first table that has it ("-q -":
 *			keys from standard input, "key<TAB>value" output); exit 0 when found.
 *	-r, -w		Replace, or keep silently, earlier entries with the same key.
 *	-s		List every entry of the first table.
 *	-u, -U		Disable, or force, UTF-8 checks and folding.
 *	-v		More verbose logging.
 * DIAGNOSTICS
 *	Problems go to standard error and the mail log. The exit status is 0 on success,
 *	1 for a failed query or delete, or when something went wrong.
 * CONFIGURATION PARAMETERS
 *	default_database_type, import_environment, smtputf8_enable, berkeley_db_create_buffer_size,
 *	berkeley_db_read_buffer_size, lmdb_map_size, config_directory, syslog_name.
 * SEE ALSO
 *	postalias(1), postconf(1), postconf(5)
 */
import { basename } from 'node:path';
import { fstatSync, openSync, closeSync } from 'node:fs';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { percentM, strerror } from '../util/strerror.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { readAllSync, vstreamOut } from '../util/vstream.js';
import { readLogicalLines } from '../util/readlline.js';
import { allAscii, cString, validUtf8String } from '../util/stringops.js';
import { setUtilUtf8Enable } from '../util/printable.js';
import { updateEnv } from '../util/clean_env.js';
import {
  type Dict, DICT_ERR_CONFIG, DICT_FLAG_BULK_UPDATE, DICT_FLAG_DUP_IGNORE, DICT_FLAG_DUP_REPLACE, DICT_FLAG_DUP_WARN,
  DICT_FLAG_FOLD_FIX, DICT_FLAG_LOCK, DICT_FLAG_SRC_RHS_IS_FILE, DICT_FLAG_TRY0NULL, DICT_FLAG_TRY1NULL,
  DICT_FLAG_UTF8_ACTIVE, DICT_FLAG_UTF8_MASK, DICT_FLAG_UTF8_REQUEST, DICT_SEQ_FUN_FIRST, DICT_SEQ_FUN_NEXT, DictBulkRestart,
  O_CREAT, O_RDONLY, O_RDWR, O_TRUNC,
} from '../util/dict.js';
import { dictOpen3 } from '../util/dict_open.js';
import { dictFileFromB64, dictFileLookup, dictFileToB64 } from '../util/dict_file.js';
import { splitTableLine } from '../util/dict_thash.js';
import { setEugid } from '../util/set_eugid.js';
import { setDictDbCacheSize } from '../util/dict_db.js';
import { setDictLmdbMapSize } from '../util/dict_lmdb.js';
import { CONF_ENV_PATH, CONF_ENV_VERB, loadMainCf } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';
import { mailTask, setMailTaskSyslogName } from '../global/mail_task.js';
import { mailParmSplit } from '../global/mail_parm_split.js';
import { type Mkmap, mkmapAppend, mkmapClose, mkmapOpen } from '../global/mkmap.js';
import { notBuiltYet } from '../global/not_built.js';

const POSTMAP_FLAG_AS_OWNER = 1 << 0;
const POSTMAP_FLAG_SAVE_PERM = 1 << 1;
const POSTMAP_FLAG_HEADER_KEY = 1 << 2;
const POSTMAP_FLAG_BODY_KEY = 1 << 3;
const POSTMAP_FLAG_MIME_KEY = 1 << 4;
const POSTMAP_FLAG_HB_KEY = POSTMAP_FLAG_HEADER_KEY | POSTMAP_FLAG_BODY_KEY;
const POSTMAP_FLAG_ANY_KEY = POSTMAP_FLAG_HB_KEY | POSTMAP_FLAG_MIME_KEY;

let dbType = 'hash';

/** "type:name", or a bare name of the default database type. */
function splitMapName(spec: string): [string, string] {
  const colon = spec.indexOf(':');
  return colon < 0 ? [dbType, spec] : [spec.slice(0, colon), spec.slice(colon + 1)];
}

/** Lines of standard input as vstring_get_nonl() returns them (C strings). */
function stdinLines(): string[] {
  const text = readAllSync(0);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map(cString);
}

function warnEmptyResult(type: string, name: string, key: string): void {
  msg.warn(`table ${type}:${name}: key ${key}: empty string result is not allowed`);
  msg.warn(`table ${type}:${name} should return NO RESULT in case of NOT FOUND`);
}

function queryError(dict: Dict): never {
  if (dict.error === DICT_ERR_CONFIG) msg.fatal(`table ${dict.type}:${dict.name}: query error`);
  return msg.fatal(`table ${dict.type}:${dict.name}: query error: ${percentM(dict.errno)}`);
}

function lookupFn(dictFlags: number): (dict: Dict, key: string) => Promise<string | null> {
  // What C code sees of a value is a C string: up to the first null byte.
  const lookup = dictFlags & DICT_FLAG_SRC_RHS_IS_FILE ? dictFileLookup : (dict: Dict, key: string) => dict.lookup(key);
  return async (dict, key) => {
    const value = await lookup(dict, key);
    return value === null ? null : cString(value);
  };
}

/** The record-adding part of postmap(): parse the source text and append each entry. */
async function postmapRecords(mkmap: Mkmap, sourcePath: string, text: string, dictFlags: number): Promise<void> {
  const dict = mkmap.dict;
  for (const { text: line, lineno } of readLogicalLines(text, sourcePath)) {
    const cline = cString(line);
    if ((dict.flags & DICT_FLAG_UTF8_ACTIVE) && !allAscii(cline) && !validUtf8String(cline)) {
      msg.warn(`${sourcePath}, line ${lineno}: non-UTF-8 input "${cline}" -- ignoring this line`);
      continue;
    }
    const split = splitTableLine(cline);
    if (split === 'unbalanced') {
      msg.warn(`${sourcePath}, line ${lineno}: unbalanced '"' in '${cline}' -- ignoring this line`);
      continue;
    }
    const { key } = split;
    let { value } = split;
    if (key === '' || value === '') {
      msg.warn(`${sourcePath}, line ${lineno}: expected format: key whitespace value`);
      continue;
    }
    if (key.endsWith(':')) msg.warn(`${sourcePath}, line ${lineno}: record is in "key: value" format; is this an alias file?`);
    if (dictFlags & DICT_FLAG_SRC_RHS_IS_FILE) {
      const b64 = dictFileToB64(dict, value);
      if (b64 === null) {
        msg.warn(`${sourcePath}, line ${lineno}: ${dict.fileError}: skipping this entry`);
        continue;
      }
      value = b64;
    }
    await mkmapAppend(mkmap, key, value);
    if (dict.error) msg.fatal(`table ${dict.type}:${dict.name}: write error: ${percentM(dict.errno)}`);
  }
}

/** Postfix: postmap(): create or update a table from its source file (or standard input). */
async function postmap(mapType: string, pathName: string, postmapFlags: number, openFlags: number, dictFlags: number): Promise<void> {
  let sourcePath: string;
  let sourceFd: number;
  if ((openFlags & O_TRUNC) === 0) {
    sourcePath = 'stdin';
    sourceFd = 0;
  } else {
    if (mapType === 'proxy') msg.fatal("can't create maps via the proxy service");
    dictFlags |= DICT_FLAG_BULK_UPDATE;
    sourcePath = pathName;
    try {
      sourceFd = openSync(pathName, 'r');
    } catch (err) {
      return msg.fatal(`open ${pathName}: ${strerror(err)}`);
    }
  }
  let st;
  try {
    st = fstatSync(sourceFd);
  } catch (err) {
    return msg.fatal(`fstat ${pathName}: ${strerror(err)}`);
  }
  // The table gets no more group/other permissions than its source.
  let savedMask: number | undefined;
  if ((postmapFlags & POSTMAP_FLAG_SAVE_PERM) && st.isFile()) savedMask = process.umask(0o022 | (~st.mode & 0o077));
  // As root, build as the owner of the source: the table gets the right owner, and a bug
  // here cannot be used to write where the owner could not.
  if ((postmapFlags & POSTMAP_FLAG_AS_OWNER) && process.getuid!() === 0
    && (st.uid !== process.geteuid!() || st.gid !== process.getegid!())) {
    setEugid(st.uid, st.gid);
  }
  const mkmap = await mkmapOpen(mapType, pathName, openFlags, dictFlags);
  if (savedMask !== undefined) process.umask(savedMask);

  const text = readAllSync(sourceFd);
  const seekable = !st.isFIFO() && !st.isSocket() && !st.isCharacterDevice();
  if (sourceFd !== 0) closeSync(sourceFd);
  // A table that restarts its bulk update needs every record again, from the top.
  for (;;) {
    try {
      await postmapRecords(mkmap, sourcePath, text, dictFlags);
      break;
    } catch (err) {
      if (!(err instanceof DictBulkRestart)) throw err;
      if (!seekable) msg.fatal(`seek ${sourcePath}: Illegal seek`);
    }
  }
  await mkmapClose(mkmap);
}

/** Postfix: postmap_queries(): keys from standard input, each looked up in every table. */
async function postmapQueries(maps: string[], postmapFlags: number, dictFlags: number): Promise<boolean> {
  if (postmapFlags & POSTMAP_FLAG_HB_KEY) return notBuiltYet('postmap -b/-h (message header and body keys)', 'issue 6');
  const dicts: (Dict | undefined)[] = maps.map(() => undefined);
  const lookup = lookupFn(dictFlags);
  let found = false;
  for (const key of stdinLines()) {
    for (let n = 0; n < maps.length; n++) {
      // Tables are opened when first needed, so that unneeded ones are never opened.
      const dict = dicts[n] ??= await dictOpen3(...splitMapName(maps[n]!), O_RDONLY, dictFlags);
      const value = await lookup(dict, key);
      if (value !== null) {
        if (value === '') warnEmptyResult(dict.type, dict.name, key);
        vstreamOut.write(`${key}\t${value}\n`);
        found = true;
        break;
      }
      if (dict.error) queryError(dict);
    }
  }
  if (found) vstreamOut.flush();
  for (const dict of dicts) await dict?.close();
  return found;
}

/** Postfix: postmap_query(): one key, one table. */
async function postmapQuery(mapType: string, mapName: string, key: string, dictFlags: number): Promise<boolean> {
  const dict = await dictOpen3(mapType, mapName, O_RDONLY, dictFlags);
  const value = await lookupFn(dictFlags)(dict, key);
  if (value !== null) {
    if (value === '') warnEmptyResult(mapType, mapName, key);
    vstreamOut.write(`${value}\n`);
  }
  if (dict.error) queryError(dict);
  vstreamOut.flush();
  await dict.close();
  return value !== null;
}

function deleteError(dict: Dict): never {
  return msg.fatal(`table ${dict.type}:${dict.name}: delete error: ${percentM(dict.errno)}`);
}

/** Open flags for a delete: the proxy client must be allowed to create. */
const deleteOpenFlags = (type: string) => (type === 'proxy' ? O_RDWR | O_CREAT : O_RDWR);

/** Postfix: postmap_deletes(): keys from standard input, deleted from every table. */
async function postmapDeletes(maps: string[], dictFlags: number): Promise<boolean> {
  const dicts: Dict[] = [];
  for (const spec of maps) {
    const [type, name] = splitMapName(spec);
    dicts.push(await dictOpen3(type, name, deleteOpenFlags(type), dictFlags));
  }
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

/** Postfix: postmap_delete(). */
async function postmapDelete(mapType: string, mapName: string, key: string, dictFlags: number): Promise<boolean> {
  const dict = await dictOpen3(mapType, mapName, deleteOpenFlags(mapType), dictFlags);
  const status = await dict.delete(key);
  if (dict.error) deleteError(dict);
  await dict.close();
  return status === 0;
}

/** Postfix: postmap_seq(): print every entry. */
async function postmapSeq(mapType: string, mapName: string, dictFlags: number): Promise<void> {
  if (mapType === 'proxy') msg.fatal("can't sequence maps via the proxy service");
  const dict = await dictOpen3(mapType, mapName, O_RDONLY, dictFlags);
  for (let func = DICT_SEQ_FUN_FIRST; ; func = DICT_SEQ_FUN_NEXT) {
    const entry = await dict.sequence(func);
    if (entry === null) break;
    const key = cString(entry.key);
    let value = cString(entry.value);
    if (key === '') {
      msg.warn(`table ${mapType}:${mapName}: empty lookup key value is not allowed`);
    } else if (value === '') {
      warnEmptyResult(mapType, mapName, key);
    }
    if (dictFlags & DICT_FLAG_SRC_RHS_IS_FILE) {
      const decoded = dictFileFromB64(dict, value);
      if (decoded === null) {
        msg.warn(`table ${dict.type}:${dict.name}: key ${key}: ${dict.fileError}`);
        continue;
      }
      value = decoded;
    }
    vstreamOut.write(`${key}\t${cString(value)}\n`);
  }
  if (dict.error) msg.fatal(`table ${dict.type}:${dict.name}: sequence error: ${percentM(dict.errno)}`);
  vstreamOut.flush();
  await dict.close();
}

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...`);
}

/** What main.cf says, read as mail_params_init() would for this program. */
function readConfiguration(argv0: string): void {
  const cfg = loadMainCf(['syslog_name', 'import_environment', 'default_database_type', 'smtputf8_enable',
    'berkeley_db_create_buffer_size', 'berkeley_db_read_buffer_size', 'lmdb_map_size']);
  updateEnv(mailParmSplit('import_environment', cfg.import_environment));
  setMailTaskSyslogName(cfg.syslog_name);
  maillogClientInit(mailTask(argv0), MAILLOG_CLIENT_FLAG_NONE);
  setUtilUtf8Enable(cfg.smtputf8_enable);
  dbType = cfg.default_database_type;
  setDictDbCacheSize(cfg.berkeley_db_read_buffer_size);
  setDictLmdbMapSize(cfg.lmdb_map_size);
}

export async function main(argv: string[]): Promise<void> {
  let postmapFlags = POSTMAP_FLAG_AS_OWNER | POSTMAP_FLAG_SAVE_PERM;
  let openFlags = O_RDWR | O_CREAT | O_TRUNC;
  let dictFlags = DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX | DICT_FLAG_UTF8_REQUEST;
  let query: string | undefined;
  let delkey: string | undefined;
  let sequence = false;
  let forceUtf8 = false;

  process.umask(0o022);
  if (process.env[CONF_ENV_VERB] !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask(argv[0]), MAILLOG_CLIENT_FLAG_NONE);
  const opts = new Getopt(argv, '+bc:d:fFhimnNopq:rsuUvw');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'N':
        dictFlags = (dictFlags | DICT_FLAG_TRY1NULL) & ~DICT_FLAG_TRY0NULL;
        break;
      case 'b':
        postmapFlags |= POSTMAP_FLAG_BODY_KEY;
        break;
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'd':
        if (sequence || query !== undefined || delkey !== undefined) msg.fatal('specify only one of -s -q or -d');
        delkey = opts.optarg!;
        break;
      case 'f':
        dictFlags &= ~DICT_FLAG_FOLD_FIX;
        break;
      case 'F':
        dictFlags |= DICT_FLAG_SRC_RHS_IS_FILE;
        break;
      case 'h':
        postmapFlags |= POSTMAP_FLAG_HEADER_KEY;
        break;
      case 'i':
        openFlags &= ~O_TRUNC;
        break;
      case 'm':
        postmapFlags |= POSTMAP_FLAG_MIME_KEY;
        break;
      case 'n':
        dictFlags = (dictFlags | DICT_FLAG_TRY0NULL) & ~DICT_FLAG_TRY1NULL;
        break;
      case 'o':
        postmapFlags &= ~POSTMAP_FLAG_AS_OWNER;
        break;
      case 'p':
        postmapFlags &= ~POSTMAP_FLAG_SAVE_PERM;
        break;
      case 'q':
        if (sequence || query !== undefined || delkey !== undefined) msg.fatal('specify only one of -s -q or -d');
        query = opts.optarg!;
        break;
      case 'r':
        dictFlags = (dictFlags & ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE)) | DICT_FLAG_DUP_REPLACE;
        break;
      case 's':
        if (query !== undefined || delkey !== undefined) msg.fatal('specify only one of -s or -q or -d');
        sequence = true;
        break;
      case 'u':
        dictFlags &= ~DICT_FLAG_UTF8_REQUEST;
        break;
      case 'U':
        forceUtf8 = true;
        break;
      case 'v':
        msg.verbose++;
        break;
      case 'w':
        dictFlags = (dictFlags & ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_REPLACE)) | DICT_FLAG_DUP_IGNORE;
        break;
      default:
        usage(argv[0]);
    }
  }
  readConfiguration(argv[0]);
  if ((query === undefined || query !== '-') && (postmapFlags & POSTMAP_FLAG_ANY_KEY)) {
    msg.fatal('specify -b -h or -m only with "-q -"');
  }
  if ((postmapFlags & POSTMAP_FLAG_ANY_KEY) !== 0 && (postmapFlags & POSTMAP_FLAG_ANY_KEY) === (postmapFlags & POSTMAP_FLAG_MIME_KEY)) {
    msg.warn('ignoring -m option without -b or -h');
  }
  if ((postmapFlags & (POSTMAP_FLAG_ANY_KEY & ~POSTMAP_FLAG_MIME_KEY)) && !forceUtf8) dictFlags &= ~DICT_FLAG_UTF8_MASK;

  const maps = argv.slice(opts.optind);
  if (delkey !== undefined) {
    if (maps.length === 0) usage(argv[0]);
    if (delkey === '-') process.exit(await postmapDeletes(maps, dictFlags | DICT_FLAG_LOCK) ? 0 : 1);
    let found = false;
    for (const spec of maps) {
      if (await postmapDelete(...splitMapName(spec), delkey, dictFlags | DICT_FLAG_LOCK)) found = true;
    }
    process.exit(found ? 0 : 1);
  } else if (query !== undefined) {
    if (maps.length === 0) usage(argv[0]);
    if (query === '-') process.exit(await postmapQueries(maps, postmapFlags, dictFlags | DICT_FLAG_LOCK) ? 0 : 1);
    for (const spec of maps) {
      if (await postmapQuery(...splitMapName(spec), query, dictFlags | DICT_FLAG_LOCK)) process.exit(0);
    }
    process.exit(1);
  } else if (sequence) {
    // Only the first table is listed, as in Postfix.
    if (maps.length === 0) process.exit(1);
    await postmapSeq(...splitMapName(maps[0]!), dictFlags | DICT_FLAG_LOCK);
    process.exit(0);
  } else {
    if (maps.length === 0) usage(argv[0]);
    for (const spec of maps) await postmap(...splitMapName(spec), postmapFlags, openFlags, dictFlags);
    process.exit(0);
  }
}

if (isMainModule(import.meta.url)) await main(programArgv());
