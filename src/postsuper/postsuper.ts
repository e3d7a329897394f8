#!/usr/bin/env node
/*
 * NAME
 *	postsuper - Postfix queue maintenance for the super-user
 * SYNOPSIS
 *	postsuper [-psSv] [-c config_dir] [-d queue_id] [-e queue_id] [-f queue_id]
 *		[-h queue_id] [-H queue_id] [-r queue_id] [queue...]
 * DESCRIPTION
 *	postsuper works directly on the queue directory. Without options it repairs the
 *	queue structure (-s) and removes stale temporary files (-p). Operations that take a
 *	queue ID also take "ALL" (every message in the named or default queues) and "-"
 *	(queue IDs from standard input, one per line). They run in command-line order,
 *	after any repair.
 * .IP "-c config_dir"
 *	Read main.cf from config_dir (an absolute path).
 * .IP "-d queue_id"
 *	Delete the message and its defer, bounce and trace logs.
 * .IP "-e queue_id"
 *	Request forced expiration: the queue manager returns the message to its sender.
 * .IP "-f queue_id"
 *	Like -e, and release the message from the hold queue.
 * .IP "-h queue_id"
 *	Put the message on hold (not from the maildrop queue).
 * .IP "-H queue_id"
 *	Release the message from hold into the deferred queue.
 * .IP "-p"
 *	Remove temporary files left over from crashes (older than a week).
 * .IP "-r queue_id"
 *	Requeue the message through pickup and cleanup.
 * .IP "-s"
 *	Repair the structure: move files to their hash_queue_depth place, and rename
 *	message files whose name does not match their inode number.
 * .IP "-S"
 *	Like -s, and also rename long queue IDs whose inode part does not match.
 * .IP "-v"
 *	Verbose logging.
 * SECURITY
 *	Only the super-user may run postsuper; it changes to the mail_owner user before
 *	touching the queue.
 * DIAGNOSTICS
 *	Per-message results and totals are reported on standard error and to the mail log.
 * CONFIGURATION PARAMETERS
 *	config_directory, queue_directory, mail_owner, hash_queue_depth, hash_queue_names,
 *	enable_long_queue_ids, import_environment.
 * SEE ALSO
 *	postqueue(1), postcat(1)
 */
import { basename } from 'node:path';
import { closeSync, constants as fsConstants, fchmodSync, fstatSync, lstatSync, openSync, renameSync, rmdirSync, unlinkSync, utimesSync, type Stats } from 'node:fs';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { readAllSync } from '../util/vstream.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { updateEnv } from '../util/clean_env.js';
import { mailParmSplit } from '../global/mail_parm_split.js';
import { safeGetenv, unsafe } from '../util/safe.js';
import { ScanDir } from '../util/scan_dir.js';
import { getpwnam } from '../util/pwd.js';
import { CONF_ENV_VERB, mailConfRead, mailConfStr } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';
import { mailTask } from '../global/mail_task.js';
import { mailOpenOkSync } from '../global/mail_open_ok.js';
import {
  MAIL_QUEUE_ACTIVE, MAIL_QUEUE_BOUNCE, MAIL_QUEUE_DEFER, MAIL_QUEUE_DEFERRED, MAIL_QUEUE_FLUSH, MAIL_QUEUE_HOLD,
  MAIL_QUEUE_INCOMING, MAIL_QUEUE_MAILDROP, MAIL_QUEUE_STAT_EXPIRE, MAIL_QUEUE_STAT_READY, MAIL_QUEUE_TRACE, MQID_SH_USEC_PAD,
  MQID_LG_INUM_SEP, longIdHexUsec, longIdSeparator, mailQueueIdOk, mailQueueMkdirs, mailQueuePath,
  chdirQueueDirectory, queueIdInode, queueLayoutFromConfig, safeUltostr, MQID_LG_INUM_BASE, type QueueLayout,
} from '../global/mail_queue.js';

const MAX_TEMP_AGE = 7 * 60 * 60 * 24; // seconds before a temporary file is stale

const ACTION_STRUCT = 1 << 0;
const ACTION_PURGE = 1 << 1;
const ACTION_DELETE_ONE = 1 << 2;
const ACTION_DELETE_ALL = 1 << 3;
const ACTION_REQUEUE_ONE = 1 << 4;
const ACTION_REQUEUE_ALL = 1 << 5;
const ACTION_HOLD_ONE = 1 << 6;
const ACTION_HOLD_ALL = 1 << 7;
const ACTION_RELEASE_ONE = 1 << 8;
const ACTION_RELEASE_ALL = 1 << 9;
const ACTION_STRUCT_RED = 1 << 10;
const ACTION_EXPIRE_ONE = 1 << 11;
const ACTION_EXPIRE_ALL = 1 << 12;
const ACTION_EXP_REL_ONE = 1 << 13;
const ACTION_EXP_REL_ALL = 1 << 14;
const ACTION_DEFAULT = ACTION_STRUCT | ACTION_PURGE;
const ACTIONS_BY_QUEUE_ID = ACTION_DELETE_ONE | ACTION_REQUEUE_ONE | ACTION_HOLD_ONE | ACTION_RELEASE_ONE | ACTION_EXPIRE_ONE | ACTION_EXP_REL_ONE;
const ACTIONS_BY_WILDCARD = ACTION_DELETE_ALL | ACTION_REQUEUE_ALL | ACTION_HOLD_ALL | ACTION_RELEASE_ALL | ACTION_EXPIRE_ALL | ACTION_EXP_REL_ALL;
const ACTIONS_FOR_REPAIR = ACTION_PURGE | ACTION_STRUCT | ACTION_STRUCT_RED;

/** What each directory holds: message files (must be complete) or logs, and whether to recurse. */
interface QueueInfo {
  name: string;
  perms: number;
  recurse: boolean;
}
const QUEUE_INFO: QueueInfo[] = [
  { name: MAIL_QUEUE_MAILDROP, perms: MAIL_QUEUE_STAT_READY, recurse: false }, // never step into a writable maildrop
  { name: MAIL_QUEUE_INCOMING, perms: MAIL_QUEUE_STAT_READY, recurse: true },
  { name: MAIL_QUEUE_ACTIVE, perms: MAIL_QUEUE_STAT_READY, recurse: true },
  { name: MAIL_QUEUE_DEFERRED, perms: MAIL_QUEUE_STAT_READY, recurse: true },
  { name: MAIL_QUEUE_HOLD, perms: MAIL_QUEUE_STAT_READY, recurse: true },
  { name: MAIL_QUEUE_TRACE, perms: 0o600, recurse: true },
  { name: MAIL_QUEUE_DEFER, perms: 0o600, recurse: true },
  { name: MAIL_QUEUE_BOUNCE, perms: 0o600, recurse: true },
  { name: MAIL_QUEUE_FLUSH, perms: 0o600, recurse: true },
];
const LOG_QUEUE_NAMES = [MAIL_QUEUE_BOUNCE, MAIL_QUEUE_DEFER, MAIL_QUEUE_TRACE];

/* Structure repair renames a mismatched file to "<new id>#FIX" first; queue scans skip such names. */
const SUFFIX = '#FIX';

/* Directories that hold defer and bounce logs come first, so logs are in place before messages move. */
const DEFAULT_QUEUES = [MAIL_QUEUE_DEFER, MAIL_QUEUE_BOUNCE, MAIL_QUEUE_MAILDROP, MAIL_QUEUE_INCOMING, MAIL_QUEUE_ACTIVE,
  MAIL_QUEUE_DEFERRED, MAIL_QUEUE_HOLD, MAIL_QUEUE_FLUSH];

const counts = { requeued: 0, held: 0, released: 0, deleted: 0, expired: 0, inodeFixed: 0, inodeMismatch: 0, positionMismatch: 0 };

let layout: QueueLayout;

const isMessageQueue = (qp: QueueInfo) => qp.perms === MAIL_QUEUE_STAT_READY;
const isReady = (st: Stats) => (st.mode & 0o700) === MAIL_QUEUE_STAT_READY;
const errnoOf = (err: unknown) => (err as NodeJS.ErrnoException).code;
const plural = (n: number) => (n !== 1 ? 's' : '');

function findQueueInfo(name: string): QueueInfo {
  return QUEUE_INFO.find((qp) => qp.name === name) ?? msg.fatal(`invalid directory name: ${name}`);
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** remove(): unlink a file, rmdir a directory. Returns false when it was not there. */
function postremove(path: string): boolean {
  try {
    try {
      unlinkSync(path);
    } catch (err) {
      if (errnoOf(err) !== 'EISDIR') throw err;
      rmdirSync(path);
    }
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') msg.fatal(`remove file ${path}: ${strerror(err)}`);
    return false;
  }
  if (msg.verbose) msg.info(`removed file ${path}`);
  return true;
}

/**
 * Rename, creating missing hash directories; false when the source vanished. Like
 * Postfix, only a rename that works at the first try is logged with -v.
 */
function postrename(from: string, to: string): boolean {
  try {
    renameSync(from, to);
  } catch (err) {
    let code = errnoOf(err);
    if (code === 'ENOENT') {
      try {
        mailQueueMkdirs('.', to);
        renameSync(from, to);
        return true;
      } catch (again) {
        code = errnoOf(again);
      }
    }
    if (code !== 'ENOENT') msg.fatal(`rename file ${from} as ${to}: ${strerror(code)}`);
    return false;
  }
  if (msg.verbose) msg.info(`renamed file ${from} as ${to}`);
  return true;
}

function postrmdir(path: string): void {
  try {
    rmdirSync(path);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') msg.fatal(`remove directory ${path}: ${strerror(err)}`);
    return;
  }
  if (msg.verbose) msg.info(`remove directory ${path}`);
}

/** Set group execute (forced expiry) on a complete message file; false if not done. */
function postexpire(path: string): boolean {
  let fd: number;
  try {
    // O_NOFOLLOW: never change the mode of a file outside the queue through a link.
    fd = openSync(path, fsConstants.O_RDWR | fsConstants.O_NOFOLLOW);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') msg.warn(`expire file ${path}: cannot open file: ${strerror(err)}`);
    return false;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || !isReady(st) || (st.mode & MAIL_QUEUE_STAT_EXPIRE) !== 0) return false;
    try {
      fchmodSync(fd, (st.mode | MAIL_QUEUE_STAT_EXPIRE) & 0o7777);
    } catch (err) {
      msg.warn(`expire file ${path}: cannot set permission: ${strerror(err)}`);
      return false;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

type OneOperator = (queues: string[], id: string) => void;

/**
 * The by-ID operations share one shape: check the ID, then try each queue that applies
 * (twice, in case the file moved between queues meanwhile) until one succeeds.
 */
function byQueueId(queues: string[], id: string, tries: number, applies: (queue: string) => boolean, act: (queue: string, path: string) => boolean): boolean {
  if (!mailQueueIdOk(id)) {
    msg.warn(`invalid mail queue id: ${id}`);
    return false;
  }
  for (let attempt = 0; attempt < tries; attempt++) {
    for (const queue of queues) {
      if (!applies(queue)) continue;
      const path = mailOpenOkSync(layout, queue, id);
      if (path !== null && act(queue, path)) return true;
    }
  }
  return false;
}

/** A by-ID operation: where it applies, what it does to the file, what it reports and counts. */
function oneOperator(tries: number, applies: (queue: string) => boolean, act: (path: string, id: string) => boolean,
  report: string, counter: 'deleted' | 'requeued' | 'held' | 'released' | 'expired'): OneOperator {
  return (queues, id) => {
    const found = byQueueId(queues, id, tries, applies, (_queue, path) => {
      if (!act(path, id)) return false;
      msg.info(`${id}: ${report}`);
      return true;
    });
    if (found) counts[counter]++;
  };
}

const inMessageQueue = (q: string) => isMessageQueue(findQueueInfo(q));

const deleteOne = oneOperator(2, inMessageQueue, (path, id) => {
  // Logs go first, and only when the message file exists.
  for (const logQueue of LOG_QUEUE_NAMES) postremove(mailQueuePath(layout, logQueue, id));
  return postremove(path);
}, 'removed', 'deleted');

const requeueOne = oneOperator(2, (q) => q !== MAIL_QUEUE_MAILDROP && inMessageQueue(q), (path, id) => {
  const target = mailQueuePath(layout, MAIL_QUEUE_MAILDROP, id);
  if (!postrename(path, target)) return false;
  const now = new Date();
  try {
    utimesSync(target, now, now);
  } catch (err) {
    msg.warn(`${target}: reset time stamps: ${strerror(err)}`);
  }
  return true;
}, 'requeued', 'requeued');

// Maildrop files are not yet sanitized; they must not mix with queued mail in hold.
const holdOne = oneOperator(2, (q) => q !== MAIL_QUEUE_MAILDROP && q !== MAIL_QUEUE_HOLD && inMessageQueue(q),
  (path, id) => postrename(path, mailQueuePath(layout, MAIL_QUEUE_HOLD, id)), 'placed on hold', 'held');

const releaseOne = oneOperator(1, (q) => q === MAIL_QUEUE_HOLD,
  (path, id) => postrename(path, mailQueuePath(layout, MAIL_QUEUE_DEFERRED, id)), 'released from hold', 'released');

const expireOne = oneOperator(2, (q) => inMessageQueue(q) && q !== MAIL_QUEUE_MAILDROP, (path) => postexpire(path), 'expired', 'expired');

const expireReleaseOne: OneOperator = (queues, id) => {
  expireOne(queues, id);
  releaseOne(queues, id);
};

/** Queue IDs from standard input, one per line (a last line without newline counts). */
function operateStream(operator: OneOperator, queues: string[]): void {
  // readAllSync retries EAGAIN: a non-blocking stdin must not look like an empty one.
  let text: string;
  try {
    text = readAllSync(0);
  } catch {
    text = '';
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const id of lines) operator(queues, id);
}

/**
 * Rename a message whose name does not match its inode to "<new id>#FIX" (its logs too,
 * first), keeping the time part so that an interrupted run can be completed.
 */
function fixQueueId(actualPath: string, queue: string, id: string, st: Stats): void {
  const z = longIdSeparator(id);
  const shortInode = BigInt(st.ino).toString(16).toUpperCase();
  let newId: string;
  if (z < 0) newId = id.slice(0, MQID_SH_USEC_PAD) + shortInode;
  else if (layout.longQueueIds) newId = id.slice(0, z) + MQID_LG_INUM_SEP + safeUltostr(st.ino, MQID_LG_INUM_BASE, 0);
  else newId = longIdHexUsec(id, z) + shortInode;
  for (const logQueue of LOG_QUEUE_NAMES)
    postrename(mailQueuePath(layout, logQueue, id), mailQueuePath(layout, logQueue, newId) + SUFFIX);
  postrename(actualPath, mailQueuePath(layout, queue, newId) + SUFFIX);
}

/** Postfix: super(): one pass over the queues for repair or for one mass operation. */
function superPass(queues: string[], initialAction: number): void {
  let action = initialAction;
  const hashNames = layout.hashQueueNames;
  for (const queue of queues) {
    if (msg.verbose) msg.info(`queue: ${queue}`);
    const qp = findQueueInfo(queue);
    const wantedDepth = hashNames.includes(queue) ? layout.hashQueueDepth : 0;
    if (wantedDepth > 0 && !qp.recurse) msg.fatal(`${queue} queue must not be hashed`);
    const scan = new ScanDir(queue);
    let actualDepth = 0;
    for (;;) {
      const path = scan.next();
      if (path === null) {
        if (actualDepth === 0) break;
        if (actualDepth > wantedDepth) postrmdir(scan.path);
        scan.pop();
        actualDepth--;
        continue;
      }
      if (path.length === 1 && qp.recurse) {
        actualDepth++;
        scan.push(path);
        continue;
      }
      let actualPath = `${scan.path}/${path}`;
      const st = lstatOrNull(actualPath);
      if (st === null) continue;
      if (st.isDirectory()) {
        // An alien directory: a compromised maildrop must not stop us.
        try {
          rmdirSync(actualPath);
          if (msg.verbose) msg.info(`remove subdirectory ${actualPath}`);
        } catch (err) {
          if (errnoOf(err) !== 'ENOENT') msg.warn(`remove subdirectory ${actualPath}: ${strerror(err)}`);
        }
        continue;
      }
      if (action & ACTION_DELETE_ALL) {
        if (postremove(actualPath) && isMessageQueue(qp) && isReady(st)) counts.deleted++;
        continue;
      }
      if (!st.isFile() || ((action & ACTION_PURGE) && isMessageQueue(qp) && !isReady(st) && Date.now() / 1000 > st.mtimeMs / 1000 + MAX_TEMP_AGE)) {
        postremove(actualPath);
        continue;
      }
      let name = path;
      if ((action & ACTION_STRUCT) && name.endsWith(SUFFIX)) {
        name = name.slice(0, -SUFFIX.length);
        if (!mailQueueIdOk(name)) {
          msg.warn(`bogus file name: ${actualPath}`);
          continue;
        }
        if (isMessageQueue(qp)) {
          const parsed = queueIdInode(name);
          if (parsed === null) {
            msg.warn(`bogus file name: ${actualPath}`);
            continue;
          }
          if (parsed.inode !== BigInt(st.ino)) {
            msg.warn(`name/inode mismatch: ${actualPath}`);
            continue;
          }
        }
        const wanted = mailQueuePath(layout, queue, name);
        if (!postrename(actualPath, wanted)) continue;
        if (isMessageQueue(qp)) counts.inodeFixed++;
        actualPath = wanted;
      }
      if (!mailQueueIdOk(name)) {
        msg.warn(`bogus file name: ${actualPath}`);
        continue;
      }
      if ((action & ACTION_STRUCT) && isMessageQueue(qp)) {
        const parsed = queueIdInode(name);
        if (parsed === null) {
          msg.warn(`bogus file name: ${actualPath}`);
          continue;
        }
        if ((parsed.long && !layout.longQueueIds)
          || (parsed.inode !== BigInt(st.ino) && (!parsed.long || (action & ACTION_STRUCT_RED)))) {
          counts.inodeMismatch++;
          action &= ~ACTIONS_BY_WILDCARD;
          fixQueueId(actualPath, queue, name, st);
          continue;
        }
      }
      if ((action & ACTION_REQUEUE_ALL) && isMessageQueue(qp) && queue !== MAIL_QUEUE_MAILDROP) {
        if (postrename(actualPath, mailQueuePath(layout, MAIL_QUEUE_MAILDROP, name))) counts.requeued++;
        continue;
      }
      if ((action & (ACTION_EXPIRE_ALL | ACTION_EXP_REL_ALL)) && isMessageQueue(qp) && isReady(st)
        && queue !== MAIL_QUEUE_MAILDROP && postexpire(actualPath)) counts.expired++;
      if ((action & ACTION_HOLD_ALL) && isMessageQueue(qp) && queue !== MAIL_QUEUE_MAILDROP && queue !== MAIL_QUEUE_HOLD) {
        if (postrename(actualPath, mailQueuePath(layout, MAIL_QUEUE_HOLD, name))) counts.held++;
        continue;
      }
      if ((action & (ACTION_RELEASE_ALL | ACTION_EXP_REL_ALL)) && queue === MAIL_QUEUE_HOLD) {
        if (postrename(actualPath, mailQueuePath(layout, MAIL_QUEUE_DEFERRED, name))) counts.released++;
        continue;
      }
      if (action & ACTION_STRUCT) {
        const wanted = mailQueuePath(layout, queue, name);
        if (actualPath !== wanted) {
          counts.positionMismatch++;
          postrename(actualPath, wanted);
          continue;
        }
      }
    }
    scan.close();
  }
}

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} `
    + '[-c config_dir] '
    + '[-d queue_id (delete)] '
    + '[-e queue_id (expire)] '
    + '[-f queue_id (expire and/or un-hold)] '
    + '[-h queue_id (hold)] '
    + '[-H queue_id (un-hold)] '
    + '[-p (purge temporary files)] '
    + '[-r queue_id (requeue)] '
    + '[-s (structure fix)] '
    + '[-S (redundant structure fix)]'
    + '[-v (verbose)] '
    + '[queue...]');
}

const GETOPT_LIST = '+c:d:e:f:h:H:pr:sSv';
const ONE_OR_ALL: Record<string, [number, number]> = {
  d: [ACTION_DELETE_ONE, ACTION_DELETE_ALL],
  e: [ACTION_EXPIRE_ONE, ACTION_EXPIRE_ALL],
  f: [ACTION_EXP_REL_ONE, ACTION_EXP_REL_ALL],
  h: [ACTION_HOLD_ONE, ACTION_HOLD_ALL],
  H: [ACTION_RELEASE_ONE, ACTION_RELEASE_ALL],
  r: [ACTION_REQUEUE_ONE, ACTION_REQUEUE_ALL],
};
const OPERATORS: Record<string, OneOperator> = { d: deleteOne, e: expireOne, f: expireReleaseOne, h: holdOne, H: releaseOne, r: requeueOne };

export function main(argv: string[]): void {
  process.umask(0o022);
  if (safeGetenv(CONF_ENV_VERB) !== undefined) msg.verbose = 1;
  argv[0] = basename(argv[0]!) || argv[0]!;
  msgVstreamInit(argv[0], 2);
  maillogClientInit(mailTask(argv[0]), MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  if (unsafe()) msg.fatal('this postfix command must not run as a set-uid process');
  if (process.getuid!() !== 0) msg.fatal('use of this command is reserved for the superuser');

  // First find out what to do; the actions run later, in command-line order.
  let action = 0;
  let opts = new Getopt(argv, GETOPT_LIST);
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    const arg = opts.optarg!;
    if (ch in ONE_OR_ALL) action |= ONE_OR_ALL[ch]![arg === 'ALL' ? 1 : 0];
    else if (ch === 'c') {
      if (!arg.startsWith('/')) msg.fatal('-c requires absolute pathname');
      process.env.MAIL_CONFIG = arg;
    } else if (ch === 'p') action |= ACTION_PURGE;
    else if (ch === 'S') action |= ACTION_STRUCT_RED | ACTION_STRUCT;
    else if (ch === 's') action |= ACTION_STRUCT;
    else if (ch === 'v') msg.verbose++;
    else usage(argv[0]);
  }
  const firstQueueArg = opts.optind;

  mailConfRead();
  updateEnv(mailParmSplit('import_environment', mailConfStr('import_environment')));
  maillogClientInit(mailTask(argv[0]), MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  layout = queueLayoutFromConfig();
  chdirQueueDirectory();
  // Work as the mail system owner: directories we create get the right owner, and a
  // compromised queue cannot trick root into damage elsewhere.
  const ownerName = mailConfStr('mail_owner') || 'postfix';
  const owner = getpwnam(ownerName) ?? msg.fatal(`file ${process.env.MAIL_CONFIG ?? '/etc/postfix'}/main.cf: parameter mail_owner: unknown user name value: ${ownerName}`);
  setUgid(owner.uid, owner.gid);
  // XXX SIGINT/SIGTERM/SIGHUP during a repair do not yet print the warning below.
  msg.setCleanup(() => {
    if (counts.inodeMismatch > 0 || counts.inodeFixed > 0 || counts.positionMismatch > 0)
      msg.warn('OPERATION INCOMPLETE -- RERUN COMMAND TO FIX THE QUEUE FIRST');
  });

  if (action === 0) action = ACTION_DEFAULT;
  const queues = argv.length > firstQueueArg ? argv.slice(firstQueueArg) : DEFAULT_QUEUES;

  // Repair first, so that files are where the other operations look for them.
  if (action & ACTIONS_FOR_REPAIR) superPass(queues, action & ACTIONS_FOR_REPAIR);
  // Files renamed to "<id>#FIX" need a second pass to get their final name.
  if (counts.inodeMismatch > 0) superPass(queues, action & ACTIONS_FOR_REPAIR);
  if ((action & ACTIONS_BY_QUEUE_ID) && (counts.inodeMismatch > 0 || counts.inodeFixed > 0)) {
    // Names changed: a queue ID on the command line may now name another message.
    msg.error('QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS');
    msg.fatal('CHECK YOUR QUEUE IDS AND RE-ISSUE THE COMMAND');
  }

  opts = new Getopt(argv, GETOPT_LIST);
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    const operator = OPERATORS[ch];
    if (operator === undefined) continue;
    const arg = opts.optarg!;
    if (arg === 'ALL') superPass(queues, ONE_OR_ALL[ch]![1]);
    else if (arg === '-') operateStream(operator, queues);
    else operator(queues, arg);
  }

  if (action & (ACTION_REQUEUE_ONE | ACTION_REQUEUE_ALL)) msg.info(`Requeued: ${counts.requeued} message${plural(counts.requeued)}`);
  if (action & (ACTION_DELETE_ONE | ACTION_DELETE_ALL)) msg.info(`Deleted: ${counts.deleted} message${plural(counts.deleted)}`);
  if (action & (ACTION_EXPIRE_ONE | ACTION_EXPIRE_ALL | ACTION_EXP_REL_ONE | ACTION_EXP_REL_ALL))
    msg.info(`Force-expired: ${counts.expired} message${plural(counts.expired)}`);
  if (action & (ACTION_HOLD_ONE | ACTION_HOLD_ALL)) msg.info(`Placed on hold: ${counts.held} message${plural(counts.held)}`);
  if (action & (ACTION_RELEASE_ONE | ACTION_RELEASE_ALL | ACTION_EXP_REL_ONE | ACTION_EXP_REL_ALL))
    msg.info(`Released from hold: ${counts.released} message${plural(counts.released)}`);
  if (counts.inodeFixed > 0) msg.info(`Renamed to match inode number: ${counts.inodeFixed} message${plural(counts.inodeFixed)}`);
  if (counts.inodeMismatch > 0 || counts.inodeFixed > 0) msg.warn('QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS');
  process.exit(0);
}

/** Postfix: set_ugid(): become uid/gid for good, with no supplementary groups but gid. */
function setUgid(uid: number, gid: number): void {
  try {
    process.setgid!(gid);
  } catch (err) {
    msg.fatal(`setgid(${gid}): ${strerror(err)}`);
  }
  try {
    process.setgroups!([gid]);
  } catch (err) {
    msg.fatal(`setgroups(1, &${gid}): ${strerror(err)}`);
  }
  try {
    process.setuid!(uid);
  } catch (err) {
    msg.fatal(`setuid(${uid}): ${strerror(err)}`);
  }
}

if (isMainModule(import.meta.url)) main(programArgv());
