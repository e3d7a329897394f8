#!/usr/bin/env node
/*
 * NAME
 *	postconf - show or change the Postfix configuration
 * SYNOPSIS
 *	postconf [-options] [name...]
 * DESCRIPTION
 *	postconf shows main.cf parameters (as set, as defaulted with -d, only the explicit
 *	ones with -n, expanded with -x), master.cf entries (-M), their fields (-F) and their
 *	"-o name=value" settings (-P), and edits both files: -e sets, -X removes and -#
 *	comments out, alone for main.cf or with -M, -F or -P for master.cf. Other modes list
 *	the lookup table types (-m), mailbox lock methods (-l), SASL plug-in types (-a, -A),
 *	bounce templates (-b, -t) and TLS library facts (-T).
 *
 *	While it reads the files, postconf warns about names that nothing uses, $name
 *	references to names that nothing defines, and settings of read-only parameters.
 *
 *	Options: -c config_dir, -C class (builtin, service, user, all), -f (fold long lines),
 *	-h (values only), -H (names only), -o name=value (override), -p (main.cf, the
 *	default), -v (more logging).
 * SECURITY
 *	postconf may be run by any user; edits need write access to the configuration
 *	directory. The environment variable MAIL_CONFIG is ignored when set-id.
 * DIAGNOSTICS
 *	Problems are reported to the standard error stream; the exit status is non-zero
 *	after a fatal error.
 * CONFIGURATION PARAMETERS
 *	config_directory, daemon_directory (for -b and -t), and every parameter shown.
 * SEE ALSO
 *	postconf(5), master(5), bounce(8)
 */
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { nameMask } from '../util/name_mask.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { CONF_ENV_PATH, mailConfRead } from '../global/mail_conf.js';
import { MAIN_PARAMS, type ParamSpec } from '../global/mail_params.js';
import { compatLevelRelopRegister } from '../global/compat_level.js';
import { PCF_PARAM_FLAG_BUILTIN, PCF_PARAM_FLAG_SERVICE, PCF_PARAM_FLAG_USER, PCF_PARAM_MASK_CLASS,
  registerBuiltinParameters, registerServiceParameters } from './postconf_node.js';
import { masterTable, readMaster, showMasterEntries, showMasterFields, showMasterParams } from './postconf_master.js';
import { readParameters, setConfigDir, setParameters, showParameters } from './postconf_main.js';
import { flagUnusedMainParameters, flagUnusedMasterParameters, registerUserParameters } from './postconf_user.js';
import { expandParameterValue } from './postconf_lookup.js';
import { editMain, editMaster } from './postconf_edit.js';
import { runBounceTemplates, showLocks, showMaps, showSasl, showTls } from './postconf_other.js';
import * as M from './postconf_print.js';

function usage(progname: string): never {
  return msg.fatal(`usage: ${progname}`
    + ' [-a (server SASL types)]'
    + ' [-A (client SASL types)]'
    + ' [-b (bounce templates)]'
    + ' [-c config_dir]'
    + ' [-c param_class]'
    + ' [-d (parameter defaults)]'
    + ' [-e (edit configuration)]'
    + ' [-f (fold lines)]'
    + ' [-F (master.cf fields)]'
    + ' [-h (no names)]'
    + ' [-H (no values)]'
    + ' [-l (lock types)]'
    + ' [-m (map types)]'
    + ' [-M (master.cf)]'
    + ' [-n (non-default parameters)]'
    + ' [-o name=value (override parameter value)]'
    + ' [-p (main.cf, default)]'
    + ' [-P (master.cf parameters)]'
    + ' [-t (bounce templates)]'
    + ' [-T compile-version|run-version|public-key-algorithms]'
    + ' [-v (verbose)]'
    + ' [-x (expand parameter values)]'
    + ' [-X (exclude)]'
    + ' [-# (comment-out)]'
    + ' [name...]');
}

/** Option letters, in Postfix's order, for "specify one of" and "do not specify" messages. */
const COMPAT_NAMES: readonly [string, number][] = [
  ['-a', M.PCF_SHOW_SASL_SERV], ['-A', M.PCF_SHOW_SASL_CLNT], ['-b', M.PCF_EXP_DSN_TEMPL],
  ['-C', M.PCF_PARAM_CLASS], ['-d', M.PCF_SHOW_DEFS], ['-e', M.PCF_EDIT_CONF], ['-f', M.PCF_FOLD_LINE],
  ['-F', M.PCF_MASTER_FLD], ['-h', M.PCF_HIDE_NAME], ['-H', M.PCF_HIDE_VALUE], ['-l', M.PCF_SHOW_LOCKS],
  ['-m', M.PCF_SHOW_MAPS], ['-M', M.PCF_MASTER_ENTRY], ['-n', M.PCF_SHOW_NONDEF], ['-o', M.PCF_MAIN_OVER],
  ['-p', M.PCF_MAIN_PARAM], ['-P', M.PCF_MASTER_PARAM], ['-t', M.PCF_DUMP_DSN_TEMPL], ['-T', M.PCF_SHOW_TLS],
  ['-x', M.PCF_SHOW_EVAL], ['-X', M.PCF_EDIT_EXCL], ['-#', M.PCF_COMMENT_OUT],
];

const optionNames = (mask: number) => COMPAT_NAMES.filter(([, bit]) => mask & bit).map(([name]) => name).join(' ');

/** Groups of options of which at most one may be given. */
const INCOMPAT_OPTIONS = [
  M.PCF_SHOW_SASL_SERV | M.PCF_SHOW_SASL_CLNT | M.PCF_EXP_DSN_TEMPL | M.PCF_SHOW_LOCKS | M.PCF_SHOW_MAPS
    | M.PCF_DUMP_DSN_TEMPL | M.PCF_MAIN_PARAM | M.PCF_MASTER_ENTRY | M.PCF_MASTER_FLD | M.PCF_MASTER_PARAM | M.PCF_SHOW_TLS,
  M.PCF_SHOW_DEFS | M.PCF_EDIT_CONF | M.PCF_SHOW_NONDEF | M.PCF_COMMENT_OUT | M.PCF_EDIT_EXCL,
  M.PCF_FOLD_LINE | M.PCF_EDIT_CONF | M.PCF_COMMENT_OUT | M.PCF_EDIT_EXCL,
  M.PCF_SHOW_EVAL | M.PCF_EDIT_CONF | M.PCF_COMMENT_OUT | M.PCF_EDIT_EXCL,
  M.PCF_MAIN_OVER | M.PCF_SHOW_DEFS | M.PCF_EDIT_CONF | M.PCF_COMMENT_OUT | M.PCF_EDIT_EXCL,
  M.PCF_HIDE_NAME | M.PCF_EDIT_CONF | M.PCF_COMMENT_OUT | M.PCF_EDIT_EXCL | M.PCF_HIDE_VALUE,
];

/** Each major mode with the modifiers it accepts. */
const COMPAT_OPTIONS: readonly [number, number][] = [
  [M.PCF_SHOW_SASL_SERV, 0], [M.PCF_SHOW_SASL_CLNT, 0], [M.PCF_EXP_DSN_TEMPL, 0], [M.PCF_SHOW_LOCKS, 0],
  [M.PCF_SHOW_MAPS, 0], [M.PCF_SHOW_TLS, 0], [M.PCF_DUMP_DSN_TEMPL, 0],
  [M.PCF_MAIN_PARAM, M.PCF_EDIT_CONF | M.PCF_EDIT_EXCL | M.PCF_COMMENT_OUT | M.PCF_FOLD_LINE | M.PCF_HIDE_NAME
    | M.PCF_PARAM_CLASS | M.PCF_SHOW_EVAL | M.PCF_SHOW_DEFS | M.PCF_SHOW_NONDEF | M.PCF_MAIN_OVER | M.PCF_HIDE_VALUE],
  [M.PCF_MASTER_ENTRY, M.PCF_EDIT_CONF | M.PCF_EDIT_EXCL | M.PCF_COMMENT_OUT | M.PCF_FOLD_LINE | M.PCF_MAIN_OVER
    | M.PCF_SHOW_EVAL],
  [M.PCF_MASTER_FLD, M.PCF_EDIT_CONF | M.PCF_FOLD_LINE | M.PCF_HIDE_NAME | M.PCF_MAIN_OVER | M.PCF_SHOW_EVAL
    | M.PCF_HIDE_VALUE],
  [M.PCF_MASTER_PARAM, M.PCF_EDIT_CONF | M.PCF_EDIT_EXCL | M.PCF_FOLD_LINE | M.PCF_HIDE_NAME | M.PCF_MAIN_OVER
    | M.PCF_SHOW_EVAL | M.PCF_HIDE_VALUE],
  [M.PCF_PARAM_CLASS, M.PCF_MAIN_PARAM | M.PCF_SHOW_DEFS | M.PCF_SHOW_NONDEF],
];

/** Postfix: pcf_check_exclusive_options() and pcf_check_compat_options(). */
function checkOptions(mode: number): void {
  for (const group of INCOMPAT_OPTIONS) {
    const given = group & mode;
    if (given & (given - 1)) msg.fatal(`specify one of ${optionNames(given)}`);
  }
  for (const [major, allowed] of COMPAT_OPTIONS) {
    const excess = mode & ~(major | allowed);
    if ((mode & major) && excess) msg.fatal(`with option ${optionNames(major)}, do not specify ${optionNames(excess)}`);
  }
}

const PARAM_CLASSES: Record<string, number> = {
  builtin: PCF_PARAM_FLAG_BUILTIN, service: PCF_PARAM_FLAG_SERVICE, user: PCF_PARAM_FLAG_USER, all: PCF_PARAM_MASK_CLASS,
};

const MASTER_MODES = M.PCF_MASTER_ENTRY | M.PCF_MASTER_FLD | M.PCF_MASTER_PARAM;
const EDIT_MODES = M.PCF_EDIT_CONF | M.PCF_COMMENT_OUT | M.PCF_EDIT_EXCL;

const OPTION_MODES: Record<string, number> = {
  a: M.PCF_SHOW_SASL_SERV, A: M.PCF_SHOW_SASL_CLNT, d: M.PCF_SHOW_DEFS, e: M.PCF_EDIT_CONF, f: M.PCF_FOLD_LINE,
  F: M.PCF_MASTER_FLD, '#': M.PCF_COMMENT_OUT, h: M.PCF_HIDE_NAME, H: M.PCF_HIDE_VALUE, l: M.PCF_SHOW_LOCKS,
  m: M.PCF_SHOW_MAPS, M: M.PCF_MASTER_ENTRY, n: M.PCF_SHOW_NONDEF, p: M.PCF_MAIN_PARAM, P: M.PCF_MASTER_PARAM,
  x: M.PCF_SHOW_EVAL, X: M.PCF_EDIT_EXCL,
};

export function main(argv: string[]): void {
  process.umask(0o022);
  msgVstreamInit(argv[0]!, 2);
  let mode = 0;
  let paramClass = PCF_PARAM_MASK_CLASS;
  let templates: string | undefined;
  let tlsMode: string | undefined;
  const overrides: string[] = [];
  const opts = new Getopt(argv, '+aAbc:C:deEfFhHlmMno:pPtT:vxX#');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'b':
      case 't':
        mode |= ch === 'b' ? M.PCF_EXP_DSN_TEMPL : M.PCF_DUMP_DSN_TEMPL;
        if (templates !== undefined) msg.fatal('specify one of -b and -t');
        templates = ch === 'b' ? 'expand_templates' : 'dump_templates';
        break;
      case 'c':
        process.env[CONF_ENV_PATH] = opts.optarg!;
        break;
      case 'C':
        paramClass = nameMask('-C option', PARAM_CLASSES, opts.optarg!, true);
        break;
      case 'o':
        mode |= M.PCF_MAIN_OVER;
        overrides.push(opts.optarg!);
        break;
      case 'T':
        if (mode & M.PCF_SHOW_TLS) msg.fatal('At most one -T <mode> option may be specified');
        mode |= M.PCF_SHOW_TLS;
        tlsMode = opts.optarg!;
        break;
      case 'v':
        msg.verbose++;
        break;
      default:
        if (OPTION_MODES[ch] === undefined) usage(argv[0]!);
        mode |= OPTION_MODES[ch];
    }
  }
  compatLevelRelopRegister();
  const args = argv.slice(opts.optind);
  if ((mode & INCOMPAT_OPTIONS[0]!) === 0) mode |= M.PCF_MAIN_PARAM;
  if ((mode & (M.PCF_MAIN_PARAM | MASTER_MODES)) && args[0]?.includes('=')) mode |= M.PCF_EDIT_CONF;
  checkOptions(mode);
  if ((mode & M.PCF_EDIT_CONF) && args.length === 0) msg.fatal('-e requires name=value argument');

  const out = M.stdoutStream;
  // Computed defaults (mynetworks) expand the defaults they depend on in this mode.
  const expandDefault = (name: string) => expandParameterValue(mode, (MAIN_PARAMS as Record<string, ParamSpec>)[name]!.def);
  const procname = argv[0]!.slice(argv[0]!.lastIndexOf('/') + 1);
  if (templates !== undefined) {
    if (args.length > 1) msg.fatal('options -b and -t require at most one template file');
    mailConfRead();
    runBounceTemplates(templates, args[0]);
  } else if (mode & M.PCF_SHOW_MAPS) {
    mailConfRead();
    showMaps(out);
  } else if (mode & M.PCF_SHOW_LOCKS) {
    showLocks(out);
  } else if ((mode & MASTER_MODES) && !(mode & EDIT_MODES)) {
    const dir = setConfigDir();
    readMaster(dir, true);
    readParameters();
    setParameters(overrides);
    registerBuiltinParameters(procname, process.pid, expandDefault);
    registerServiceParameters(masterTable);
    registerUserParameters(dir);
    const expand = (value: string, entry: (typeof masterTable)[number]) => expandParameterValue(mode, value, entry);
    if (mode & M.PCF_MASTER_FLD) showMasterFields(out, mode, args, expand);
    else if (mode & M.PCF_MASTER_PARAM) showMasterParams(out, mode, args, expand);
    else showMasterEntries(out, mode, args, expand);
    flagUnusedMasterParameters(dir);
  } else if (mode & M.PCF_SHOW_SASL_SERV) {
    showSasl(out, 'server');
  } else if (mode & M.PCF_SHOW_SASL_CLNT) {
    showSasl(out, 'client');
  } else if (mode & M.PCF_SHOW_TLS) {
    showTls(out, tlsMode!);
  } else if (mode & EDIT_MODES) {
    if (args.length === 0) msg.fatal('missing service argument');
    const dir = setConfigDir();
    if (mode & MASTER_MODES) editMaster(dir, mode, args);
    else editMain(dir, mode, args);
  } else {
    let dir: string;
    if ((mode & M.PCF_SHOW_DEFS) === 0) {
      dir = readParameters();
      setParameters(overrides);
    } else {
      dir = setConfigDir();
    }
    registerBuiltinParameters(procname, process.pid, expandDefault);
    readMaster(dir, false);
    registerServiceParameters(masterTable);
    if ((mode & M.PCF_SHOW_DEFS) === 0) registerUserParameters(dir);
    showParameters(out, mode, paramClass, args);
    if ((mode & M.PCF_SHOW_DEFS) === 0) {
      flagUnusedMainParameters(dir);
      flagUnusedMasterParameters(dir);
    }
  }
  out.flush();
}

if (isMainModule(import.meta.url)) main(programArgv());
