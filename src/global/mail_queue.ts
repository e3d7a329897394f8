/*
 * mail_queue - queue names, queue IDs, hashed queue paths, and creating a queue file
 * under a temporary name and renaming it to its queue ID.
 * Counterpart: postfix/src/global/mail_queue.c and .h (MQID_* macros), file_id.c,
 * safe_ultostr.c and util/dir_forest.c. Paths are relative to the queue directory, as in
 * Postfix (which runs chdir'ed there); the functions that touch the disk take that directory.
 */
import { chmodSync, chownSync, closeSync, fstatSync, mkdirSync, openSync, renameSync, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { mailConfStr } from './mail_conf.js';
import { RecordStream } from './record.js';

export const MAIL_QUEUE_MAILDROP = 'maildrop';
export const MAIL_QUEUE_HOLD = 'hold';
export const MAIL_QUEUE_INCOMING = 'incoming';
export const MAIL_QUEUE_ACTIVE = 'active';
export const MAIL_QUEUE_DEFERRED = 'deferred';
export const MAIL_QUEUE_TRACE = 'trace';
export const MAIL_QUEUE_DEFER = 'defer';
export const MAIL_QUEUE_BOUNCE = 'bounce';
export const MAIL_QUEUE_CORRUPT = 'corrupt';
export const MAIL_QUEUE_FLUSH = 'flush';
export const MAIL_QUEUE_SAVED = 'saved';

/** Permission bits with a meaning for queue files. */
export const MAIL_QUEUE_STAT_READY = 0o700; // owner rwx: the file is complete
export const MAIL_QUEUE_STAT_CORRUPT = 0o400; // owner read only: marked corrupt
export const MAIL_QUEUE_STAT_UNTHROTTLE = 0o040; // group read: unthrottle after flush
export const MAIL_QUEUE_STAT_EXPIRE = 0o010; // group execute: forced expiration

/** Postfix: MAIL_QUEUE_STAT_READY test on st_mode. */
export function queueFileReady(mode: number): boolean {
  return (mode & MAIL_QUEUE_STAT_READY) === MAIL_QUEUE_STAT_READY;
}

/** Long queue ID format (MQID_LG_*). */
export const MQID_LG_SEC_BASE = 52;
export const MQID_LG_SEC_PAD = 6;
export const MQID_LG_USEC_BASE = 52;
export const MQID_LG_USEC_PAD = 4;
export const MQID_LG_TIME_PAD = MQID_LG_SEC_PAD + MQID_LG_USEC_PAD;
export const MQID_LG_INUM_SEP = 'z';
export const MQID_LG_INUM_BASE = 51;
/** Short queue ID format (MQID_SH_*). */
export const MQID_SH_USEC_PAD = 5;

/** Longest queue ID or flush log name (VALID_HOSTNAME_LEN). */
const VALID_HOSTNAME_LEN = 255;

/** The digits of the "safe" alphabet: no vowels, so that IDs never spell words. */
const SAFE_CHARS = '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz';

/** Postfix: safe_ultostr(). */
export function safeUltostr(value: number | bigint, base: number, padlen: number, padchar = '0'): string {
  if (base < 2 || base > SAFE_CHARS.length) msg.panic(`safe_ultostr: bad base: ${base}`);
  let v = BigInt(value);
  const b = BigInt(base);
  let out = '';
  while (v !== 0n) {
    out = SAFE_CHARS[Number(v % b)]! + out;
    v /= b;
  }
  return out.padStart(padlen, padchar);
}

/**
 * Postfix: safe_strtoul(). Leading white space is skipped; end is the index after the
 * last digit used (0 when nothing converted); overflow gives ULONG_MAX with range set.
 */
export function safeStrtoul(text: string, base: number): { value: bigint; end: number; range: boolean } {
  if (base < 2 || base > SAFE_CHARS.length) msg.panic(`safe_strtoul: bad base: ${base}`);
  const ULONG_MAX = 0xffffffffffffffffn;
  let i = 0;
  while (i < text.length && ' \t\n\v\f\r'.includes(text[i]!)) i++;
  const start = i;
  let sum = 0n;
  let range = false;
  for (; i < text.length; i++) {
    const digit = SAFE_CHARS.indexOf(text[i]!);
    if (digit < 0 || digit >= base) break;
    sum = sum * BigInt(base) + BigInt(digit);
    if (sum > ULONG_MAX) range = true;
  }
  if (range) sum = ULONG_MAX;
  return { value: sum, end: i === start ? 0 : i, range };
}

/** Postfix: mail_queue_name_ok(). */
export function mailQueueNameOk(name: string): boolean {
  return name.length > 0 && name.length <= 100 && /^[A-Za-z0-9]+$/.test(name);
}

/** Postfix: mail_queue_id_ok(): a queue ID or a fast-flush log name. */
export function mailQueueIdOk(id: string): boolean {
  return id.length > 0 && id.length <= VALID_HOSTNAME_LEN && /^[A-Za-z0-9_]+$/.test(id);
}

/** Postfix: MQID_SH_ENCODE_USEC + MQID_SH_ENCODE_INUM. */
export function shortQueueId(usec: number, inode: number | bigint): string {
  return usec.toString(16).toUpperCase().padStart(MQID_SH_USEC_PAD, '0') + BigInt(inode).toString(16).toUpperCase();
}

/** Postfix: MQID_LG_ENCODE_SEC + MQID_LG_ENCODE_USEC + 'z' + MQID_LG_ENCODE_INUM. */
export function longQueueId(sec: number, usec: number, inode: number | bigint): string {
  return safeUltostr(sec, MQID_LG_SEC_BASE, MQID_LG_SEC_PAD)
    + safeUltostr(usec, MQID_LG_USEC_BASE, MQID_LG_USEC_PAD)
    + MQID_LG_INUM_SEP + safeUltostr(inode, MQID_LG_INUM_BASE, 0);
}

/** Postfix: MQID_FIND_LG_INUM_SEPARATOR: index of the last 'z' if it marks a long ID, else -1. */
export function longIdSeparator(id: string): number {
  const z = id.lastIndexOf(MQID_LG_INUM_SEP);
  return z >= MQID_LG_TIME_PAD ? z : -1;
}

/** Postfix: MQID_GET_INUM: the inode number encoded in a queue ID, or null when malformed. */
export function queueIdInode(id: string): { inode: bigint; long: boolean } | null {
  const z = longIdSeparator(id);
  if (z >= 0) {
    const rest = id.slice(z + 1);
    const { value, end, range } = safeStrtoul(rest, MQID_LG_INUM_BASE);
    // As in C, nothing to convert at all is not an error: the inode is 0.
    const whole = end === 0 ? rest === '' : end === rest.length;
    return whole && !range ? { inode: value, long: true } : null;
  }
  const hex = id.slice(MQID_SH_USEC_PAD);
  if (hex === '') return { inode: 0n, long: false };
  // strtoul(): optional white space and sign, optional 0x, then hex digits to the end.
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX])?([0-9A-Fa-f]+)$/.exec(hex);
  if (m === null) return null;
  let value = BigInt(`0x${m[2]}`);
  if (value > 0xffffffffffffffffn) return null;
  if (m[1] === '-') value = BigInt.asUintN(64, -value);
  return { inode: value, long: false };
}

/** Postfix: MQID_LG_GET_HEX_USEC: the 5 hex digits a long ID's microseconds would have. */
export function longIdHexUsec(id: string, z: number): string {
  const { value, end, range } = safeStrtoul(id.slice(z - MQID_LG_USEC_PAD, z), MQID_LG_USEC_BASE);
  const ok = end === MQID_LG_USEC_PAD && !range;
  // "%05X" of an int: keep the low 32 bits, as the C cast does.
  const usec = ok ? Number(BigInt.asUintN(32, value)) : 0;
  return usec.toString(16).toUpperCase().padStart(MQID_SH_USEC_PAD, '0');
}

/** Postfix: dir_forest(): one directory level per leading character, '_' when too short. */
export function dirForest(path: string, depth: number): string {
  if (path === '') msg.panic('dir_forest: empty path');
  if (depth < 1) msg.panic(`dir_forest: depth ${depth}`);
  let out = '';
  for (let n = 0; n < depth; n++) {
    const ch = path[n] ?? '_';
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c >= 0x7f || ch === '.' || ch === '/') msg.panic(`dir_forest: invalid pathname: ${path}`);
    out += `${ch}/`;
  }
  return out;
}

/** The parameters that decide where a queue file lives and how its ID looks. */
export interface QueueLayout {
  /** hash_queue_names, split; compared case-insensitively. */
  hashQueueNames: string[];
  /** hash_queue_depth. */
  hashQueueDepth: number;
  /** enable_long_queue_ids. */
  longQueueIds: boolean;
}

export const DEF_HASH_QUEUE_NAMES = 'deferred, defer';
export const DEF_HASH_QUEUE_DEPTH = 1;

/** The layout from main.cf (mailConfRead() must have run). */
export function queueLayoutFromConfig(): QueueLayout {
  // XXX Until mail_conf knows every default, an unset parameter reads as empty here.
  const names = mailConfStr('hash_queue_names') || DEF_HASH_QUEUE_NAMES;
  const depthText = mailConfStr('hash_queue_depth') || String(DEF_HASH_QUEUE_DEPTH);
  const longIds = mailConfStr('enable_long_queue_ids') || 'no';
  const depth = Number.parseInt(depthText, 10);
  if (!/^[0-9]+$/.test(depthText.trim()) || depth < 1) msg.fatal(`bad numerical configuration: hash_queue_depth = ${depthText}`);
  return { hashQueueNames: splitQueueNames(names), hashQueueDepth: depth, longQueueIds: /^yes$/i.test(longIds.trim()) };
}

/** Change to queue_directory, where queue paths are relative to; dies when that fails. */
export function chdirQueueDirectory(): void {
  const queueDir = mailConfStr('queue_directory');
  try {
    process.chdir(queueDir);
  } catch (err) {
    msg.fatal(`chdir ${queueDir}: ${strerror(err)}`);
  }
}

/** Split a queue name list at commas and white space, as argv_split(CHARS_COMMA_SP) does. */
export function splitQueueNames(text: string): string[] {
  return text.split(/[, \t\r\n]+/).filter((name) => name !== '');
}

/** The default layout (hash deferred and defer one level deep, short IDs). */
export const DEFAULT_QUEUE_LAYOUT: QueueLayout = {
  hashQueueNames: splitQueueNames(DEF_HASH_QUEUE_NAMES),
  hashQueueDepth: DEF_HASH_QUEUE_DEPTH,
  longQueueIds: false,
};

/** Postfix: mail_queue_dir(): "queue/" plus the hash levels when the queue is hashed. */
export function mailQueueDir(layout: QueueLayout, queueName: string, queueId: string): string {
  if (!mailQueueNameOk(queueName)) msg.panic(`mail_queue_dir: bad queue name: ${queueName}`);
  if (!mailQueueIdOk(queueId)) msg.panic(`mail_queue_dir: bad queue id: ${queueId}`);
  const lower = queueName.toLowerCase();
  if (!layout.hashQueueNames.some((name) => name.toLowerCase() === lower)) return `${queueName}/`;
  const z = longIdSeparator(queueId);
  const key = z >= 0 ? longIdHexUsec(queueId, z) : queueId;
  return `${queueName}/${dirForest(key, layout.hashQueueDepth)}`;
}

/** Postfix: mail_queue_path(). */
export function mailQueuePath(layout: QueueLayout, queueName: string, queueId: string): string {
  return mailQueueDir(layout, queueName, queueId) + queueId;
}

/** Postfix: mail_queue_mkdirs(): create the missing directories above path, mode 0700. */
export function mailQueueMkdirs(top: string, path: string): void {
  const slash = path.lastIndexOf('/');
  if (slash < 0) msg.panic(`mail_queue_mkdirs: no slash in: ${path}`);
  mkdirSync(join(top, path.slice(0, slash)), { recursive: true, mode: 0o700 });
}

/** Postfix: mail_queue_rename(): returns the errno name on failure. */
export function mailQueueRename(top: string, layout: QueueLayout, queueId: string, oldQueue: string, newQueue: string): string | undefined {
  const from = join(top, mailQueuePath(layout, oldQueue, queueId));
  const to = mailQueuePath(layout, newQueue, queueId);
  try {
    renameSync(from, join(top, to));
    return undefined;
  } catch (err) {
    const first = (err as NodeJS.ErrnoException).code ?? 'EIO';
    try {
      mailQueueMkdirs(top, to);
      renameSync(from, join(top, to));
      return undefined;
    } catch {
      return first;
    }
  }
}

/** Postfix: mail_queue_open() for reading: a stream, or the errno name. */
export function mailQueueOpen(top: string, layout: QueueLayout, queueName: string, queueId: string): RecordStream | string {
  const path = mailQueuePath(layout, queueName, queueId);
  return RecordStream.open(join(top, path), path);
}

/** The time as gettimeofday() gives it. */
export interface TimeVal {
  sec: number;
  usec: number;
}

export function getTimeOfDay(): TimeVal {
  const micros = BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000));
  return { sec: Number(micros / 1000000n), usec: Number(micros % 1000000n) };
}

/** A new queue file: its open descriptor, ID, path relative to the queue directory, and time. */
export interface QueueFileEntry {
  fd: number;
  queueId: string;
  path: string;
  time: TimeVal;
}

/**
 * Postfix: mail_queue_enter(). Create "<queue>/<usec>.<pid>" exclusively, then rename it
 * to its queue ID (made from a fresh time and the file's inode), creating hash
 * directories on demand. The returned time is the one the ID was made from.
 */
export function mailQueueEnter(top: string, layout: QueueLayout, queueName: string, mode: number, clock: () => TimeVal = getTimeOfDay): QueueFileEntry {
  let fd: number;
  let tempPath: string;
  for (;;) {
    const tv = clock();
    tempPath = `${queueName}/${tv.usec}.${process.pid}`;
    try {
      fd = openSync(join(top, tempPath), fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_EXCL, mode);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'EISDIR') continue;
      // XXX Postfix sleeps 10 seconds and tries forever; a library caller wants to know now.
      msg.fatal(`mail_queue_enter: create file ${tempPath}: ${strerror(err)}`);
    }
  }
  const inode = fstatSync(fd, { bigint: true }).ino;
  for (let count = 0; ; count++) {
    const tv = clock();
    const queueId = layout.longQueueIds ? longQueueId(tv.sec, tv.usec, inode) : shortQueueId(tv.usec, inode);
    const path = mailQueuePath(layout, queueName, queueId);
    try {
      renameSync(join(top, tempPath), join(top, path));
      return { fd, queueId, path, time: tv };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPERM' || code === 'EISDIR') continue;
      let made = false;
      if (code === 'ENOENT') {
        try {
          mailQueueMkdirs(top, path);
          made = true;
        } catch {
          made = false;
        }
      }
      if (!made) msg.warn(`mail_queue_enter: rename ${tempPath} to ${path}: ${strerror(err)}`);
      if (count > 1000) {
        closeSync(fd);
        msg.fatal(`mail_queue_enter: rename ${tempPath} to ${path}: giving up`);
      }
    }
  }
}

/** A queue directory as postfix-files installs it. */
export interface QueueDirectorySpec {
  /** Relative to queue_directory; '' is queue_directory itself. */
  name: string;
  owner: 'root' | 'mail_owner';
  /** null: the group is left as created ("-" in postfix-files). */
  group: 'setgid_group' | null;
  mode: number;
}

/* Postfix: the $queue_directory lines of conf/postfix-files. */
export const QUEUE_DIRECTORIES: readonly QueueDirectorySpec[] = [
  { name: '', owner: 'root', group: null, mode: 0o755 },
  { name: 'active', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'bounce', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'corrupt', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'defer', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'deferred', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'flush', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'hold', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'incoming', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'private', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'maildrop', owner: 'mail_owner', group: 'setgid_group', mode: 0o730 },
  { name: 'public', owner: 'mail_owner', group: 'setgid_group', mode: 0o710 },
  { name: 'pid', owner: 'root', group: null, mode: 0o755 },
  { name: 'saved', owner: 'mail_owner', group: null, mode: 0o700 },
  { name: 'trace', owner: 'mail_owner', group: null, mode: 0o700 },
];

/**
 * Create the queue directory tree with the owners and modes above (what "postfix
 * set-permissions" would leave), for tests and installation. Existing directories are
 * brought to the right owner and mode.
 */
export function createQueueDirectories(top: string, ids: { ownerUid: number; ownerGid: number; setgidGid: number }): void {
  for (const spec of QUEUE_DIRECTORIES) {
    const path = spec.name === '' ? top : join(top, spec.name);
    mkdirSync(path, { recursive: true });
    const uid = spec.owner === 'root' ? 0 : ids.ownerUid;
    const gid = spec.group === 'setgid_group' ? ids.setgidGid : spec.owner === 'root' ? 0 : ids.ownerGid;
    chownSync(path, uid, gid);
    chmodSync(path, spec.mode);
  }
}
