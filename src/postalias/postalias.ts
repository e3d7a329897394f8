#!/usr/bin/env node
/*
 * NAME
 *	postalias - Postfix alias database maintenance
 * SYNOPSIS
 *	postalias [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [file_type:]file_name ...
 * DESCRIPTION
 *	postalias builds indexed alias databases from aliases(5) files, and queries, lists
 *	and edits them. newaliases(1) runs it on alias_database.
 *
 *	An aliases(5) entry is "name: value"; a line that starts with white space continues
 *	the one before, and "#" starts a comment line. The name must be a local name (no
 *	"@" or "%") and is stored without quotes; the value is stored in quoted (external)
 *	form, the way the local delivery agent reads it back. After the entries come the
 *	Sendmail "@: @" entry and the NIS entries YP_LAST_MODIFIED and YP_MASTER_NAME.
 *
 *	Options are those of postmap(1) that make sense for aliases: -c, -d, -f, -i, -n,
 *	-N, -o, -p, -q, -r, -s, -u, -v and -w. Query results print as "name: value" for
 *	"-q -" and -s.
 * DIAGNOSTICS
 *	Problems go to standard error and the mail log. The exit status is 0 on success,
 *	1 for a failed query or delete, or when something went wrong.
 * CONFIGURATION PARAMETERS
 *	alias_database, default_database_type, import_environment, myhostname, smtputf8_enable,
 *	berkeley_db_create_buffer_size, berkeley_db_read_buffer_size, lmdb_map_size.
 * SEE ALSO
 *	postmap(1), aliases(5), newaliases(1)
 */
import { basename } from 'node:path';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { percentM } from '../util/strerror.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import {
  type Dict, DICT_FLAG_DUP_REPLACE, DICT_FLAG_FOLD_FIX, DICT_FLAG_TRY0NULL, DICT_FLAG_TRY1NULL,
} from '../util/dict.js';
import { CONF_ENV_VERB } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_NONE } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { type Mkmap, mkmapAppend } from '../global/mkmap.js';
import { tok822Externalize, tok822Internalize, tok822Scan } from '../global/tok822.js';
import {
  type QueryStyle, checkWriteError, mkmapClose, mkmapToolConfig, plainLookup, runToolRequest, sourceLines, toolOption,
  toolRequest,
} from '../global/mkmap_tool.js';

const COLON = 0x3a;
const COMMA = 0x2c;
const AT = 0x40;
const PERCENT = 0x25;

/* postalias reports every query error with %m. */
const QUERY_STYLE: QueryStyle = {
  lookup: plainLookup,
  line: (key, value) => `${key}:\t${value}\n`,
  queryError(dict: Dict): never {
    return msg.fatal(`table ${dict.type}:${dict.name}: query error: ${percentM(dict.errno)}`);
  },
};

/** The record part of postalias(): aliases(5) entries, each appended to the table. */
async function postaliasRecords(mkmap: Mkmap, sourcePath: string, text: string): Promise<void> {
  const dict = mkmap.dict;
  for (const { line: cline, lineno } of sourceLines(dict, sourcePath, text)) {
    // Tokens, so that a quoted name may hold "@", ":" and the like.
    const tokens = tok822Scan(cline);
    if (tokens.length === 0) continue;
    // One name, a colon, and a value; "" is how to write an empty one.
    const colon = tokens.findIndex((tp) => tp.type === COLON);
    const before = tokens.slice(0, Math.max(colon, 0));
    if (colon <= 0 || colon === tokens.length - 1 || before.some((tp) => tp.type === COMMA)) {
      msg.warn(`${sourcePath}, line ${lineno}: need name:value pair`);
      continue;
    }
    // XXX Without the rewriting service, "local" can only be guessed from the syntax.
    if (before.some((tp) => tp.type === AT || tp.type === PERCENT)) {
      msg.warn(`${sourcePath}, line ${lineno}: name must be local`);
      continue;
    }
    // The name as the resolver will present it (unquoted); the value as local(8) will
    // parse it again (quoted).
    await mkmapAppend(mkmap, tok822Internalize(before), tok822Externalize(tokens.slice(colon + 1)));
    checkWriteError(dict);
  }
}

/** Postfix: the tail of postalias(): the Sendmail and NIS entries, then close. */
async function postaliasTrailer(mkmap: Mkmap, incremental: boolean, myhostname: string): Promise<void> {
  const dict = mkmap.dict;
  if (incremental) dict.flags |= DICT_FLAG_DUP_REPLACE;
  // Sendmail: "@: @" says that the database is complete (NIS clients may look).
  await mkmapAppend(mkmap, '@', '@');
  checkWriteError(dict);
  // NIS: the time and the master, written without a null byte and without folding.
  dict.flags = (dict.flags & ~DICT_FLAG_TRY1NULL) | DICT_FLAG_TRY0NULL;
  dict.flags &= ~DICT_FLAG_FOLD_FIX;
  await mkmapAppend(mkmap, 'YP_LAST_MODIFIED', String(Math.floor(Date.now() / 1000)).padStart(10, '0'));
  await mkmapAppend(mkmap, 'YP_MASTER_NAME', myhostname);
  await mkmapClose(mkmap);
}

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file...`);
}

export async function main(argv: string[]): Promise<void> {
  const req = toolRequest();
  process.umask(0o022);
  if (process.env[CONF_ENV_VERB] !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask(argv[0]), MAILLOG_CLIENT_FLAG_NONE);
  const opts = new Getopt(argv, '+Nc:d:finopq:rsuvw');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    if (!toolOption(req, ch, opts.optarg)) usage(argv[0]);
  }
  const { myhostname } = mkmapToolConfig(argv[0]);
  await runToolRequest(req, argv.slice(opts.optind), {
    usage: () => usage(argv[0]!),
    style: QUERY_STYLE,
    records: postaliasRecords,
    finish: ({ mkmap, incremental }) => postaliasTrailer(mkmap, incremental, myhostname),
  });
}

if (isMainModule(import.meta.url)) await main(programArgv());
