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
 *	-b, -h, -m	With "-q -", read a message and look up its body lines (-b) and its
 *			header lines (-h), folded lines joined with newlines. With -m the
 *			message is read as MIME: the headers of attached messages and of
 *			multipart parts count as header lines too. Without -m, only the
 *			primary headers do.
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
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { percentM } from '../util/strerror.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { cString } from '../util/stringops.js';
import {
  type Dict, DICT_ERR_CONFIG, DICT_FLAG_SRC_RHS_IS_FILE, DICT_FLAG_UTF8_MASK,
} from '../util/dict.js';
import { dictFileFromB64, dictFileLookup, dictFileToB64 } from '../util/dict_file.js';
import { splitTableLine } from '../util/dict_thash.js';
import { CONF_ENV_VERB } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { type Mkmap, mkmapAppend } from '../global/mkmap.js';
import {
  type QueryStyle, checkWriteError, mkmapToolConfig, plainLookup, queryTables, runToolRequest, sourceLines, toolOption,
  toolRequest,
} from '../global/mkmap_tool.js';
import { postmapMessageQueries } from './postmap_message.js';

/* The -b, -h and -m options. */
const POSTMAP_FLAG_HEADER_KEY = 1 << 2;
const POSTMAP_FLAG_BODY_KEY = 1 << 3;
const POSTMAP_FLAG_MIME_KEY = 1 << 4;
const POSTMAP_FLAG_HB_KEY = POSTMAP_FLAG_HEADER_KEY | POSTMAP_FLAG_BODY_KEY;
const POSTMAP_FLAG_ANY_KEY = POSTMAP_FLAG_HB_KEY | POSTMAP_FLAG_MIME_KEY;

/** postmap's queries: -F decodes values from base64; configuration errors have no %m. */
function queryStyle(dictFlags: number): QueryStyle {
  return {
    lookup: dictFlags & DICT_FLAG_SRC_RHS_IS_FILE
      ? async (dict, key) => {
        const value = await dictFileLookup(dict, key);
        return value === null ? null : cString(value);
      }
      : plainLookup,
    line: (key, value) => `${key}\t${value}\n`,
    queryError(dict: Dict): never {
      if (dict.error === DICT_ERR_CONFIG) msg.fatal(`table ${dict.type}:${dict.name}: query error`);
      return msg.fatal(`table ${dict.type}:${dict.name}: query error: ${percentM(dict.errno)}`);
    },
  };
}

/** The record part of postmap(): "key value" lines, each appended to the table. */
async function postmapRecords(mkmap: Mkmap, sourcePath: string, text: string, dictFlags: number): Promise<void> {
  const dict = mkmap.dict;
  for (const { line: cline, lineno } of sourceLines(dict, sourcePath, text)) {
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
    checkWriteError(dict);
  }
}

/** -s with -F: values are printed decoded, or skipped with a warning. */
function decodeFileValue(dict: Dict, key: string, value: string): string | null {
  const decoded = dictFileFromB64(dict, value);
  if (decoded === null) msg.warn(`table ${dict.type}:${dict.name}: key ${key}: ${dict.fileError}`);
  return decoded;
}

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...`);
}

export async function main(argv: string[]): Promise<void> {
  const req = toolRequest();
  let postmapFlags = 0;
  let forceUtf8 = false;

  process.umask(0o022);
  if (process.env[CONF_ENV_VERB] !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask(argv[0]), MAILLOG_CLIENT_FLAG_NONE);
  const opts = new Getopt(argv, '+bc:d:fFhimnNopq:rsuUvw');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    if (toolOption(req, ch, opts.optarg)) continue;
    switch (ch) {
      case 'b':
        postmapFlags |= POSTMAP_FLAG_BODY_KEY;
        break;
      case 'F':
        req.dictFlags |= DICT_FLAG_SRC_RHS_IS_FILE;
        break;
      case 'h':
        postmapFlags |= POSTMAP_FLAG_HEADER_KEY;
        break;
      case 'm':
        postmapFlags |= POSTMAP_FLAG_MIME_KEY;
        break;
      case 'U':
        forceUtf8 = true;
        break;
      default:
        usage(argv[0]);
    }
  }
  mkmapToolConfig(argv[0]);
  if (req.query !== '-' && (postmapFlags & POSTMAP_FLAG_ANY_KEY)) msg.fatal('specify -b -h or -m only with "-q -"');
  if (postmapFlags !== 0 && postmapFlags === (postmapFlags & POSTMAP_FLAG_MIME_KEY)) msg.warn('ignoring -m option without -b or -h');
  if ((postmapFlags & POSTMAP_FLAG_HB_KEY) && !forceUtf8) req.dictFlags &= ~DICT_FLAG_UTF8_MASK;

  const style = queryStyle(req.dictFlags);
  await runToolRequest(req, argv.slice(opts.optind), {
    usage: () => usage(argv[0]!),
    style,
    queries: (maps, dictFlags) => {
      if ((postmapFlags & POSTMAP_FLAG_HB_KEY) === 0) return queryTables(maps, dictFlags, style);
      const want = {
        headers: (postmapFlags & POSTMAP_FLAG_HEADER_KEY) !== 0,
        body: (postmapFlags & POSTMAP_FLAG_BODY_KEY) !== 0,
        mime: (postmapFlags & POSTMAP_FLAG_MIME_KEY) !== 0,
      };
      return postmapMessageQueries(maps, want, dictFlags);
    },
    decode: req.dictFlags & DICT_FLAG_SRC_RHS_IS_FILE ? decodeFileValue : undefined,
    records: postmapRecords,
  });
}

if (isMainModule(import.meta.url)) await main(programArgv());
