/*
 * master_proto - what master(8) and the server skeletons agree on: transport names, the
 * descriptors a child inherits, and the 12-byte status message on the status channel.
 * Counterpart: postfix/src/master/master_proto.h and master_proto.c. The status record is
 * the C struct {int pid; unsigned gen; int avail} in host byte order (little-endian here).
 */
import { writeSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';

export const MASTER_XPORT_NAME_UNIX = 'unix';
export const MASTER_XPORT_NAME_FIFO = 'fifo';
export const MASTER_XPORT_NAME_INET = 'inet';
export const MASTER_XPORT_NAME_PASS = 'pass';
export const MASTER_XPORT_NAME_UXDG = 'unix-dgram';

/** The environment variable that carries a child's generation, in octal. */
export const MASTER_GEN_NAME = 'GENERATION';

export const MASTER_STAT_TAKEN = 0;
export const MASTER_STAT_AVAIL = 1;

/** Flow-control pipe ends; Postfix: MASTER_FLOW_READ, MASTER_FLOW_WRITE. */
export const MASTER_FLOW_READ = 3;
export const MASTER_FLOW_WRITE = 4;
/** The status channel shared by all children of one service. */
export const MASTER_STATUS_FD = 5;
/** The first listen descriptor; a service with -s N has N of them from here on. */
export const MASTER_LISTEN_FD = 6;

/** Size of one status message: int pid, unsigned generation, int availability. */
export const MASTER_STATUS_SIZE = 12;

export interface MasterStatus {
  pid: number;
  gen: number;
  avail: number;
}

export function encodeMasterStatus(status: MasterStatus): Buffer {
  const buf = Buffer.alloc(MASTER_STATUS_SIZE);
  buf.writeInt32LE(status.pid, 0);
  buf.writeUInt32LE(status.gen >>> 0, 4);
  buf.writeInt32LE(status.avail, 8);
  return buf;
}

/** Decode one status message; null unless buf holds exactly MASTER_STATUS_SIZE bytes. */
export function decodeMasterStatus(buf: Buffer): MasterStatus | null {
  if (buf.length !== MASTER_STATUS_SIZE) return null;
  return { pid: buf.readInt32LE(0), gen: buf.readUInt32LE(4), avail: buf.readInt32LE(8) };
}

/**
 * Postfix: master_notify(). Tell master that this process is busy or idle. Returns 0 on
 * success, -1 when the status channel is gone (the caller notices master's absence
 * elsewhere, as Postfix does).
 */
export function masterNotify(pid: number, generation: number, avail: number): number {
  const myname = 'master_notify';
  try {
    const n = writeSync(MASTER_STATUS_FD, encodeMasterStatus({ pid, gen: generation, avail }));
    if (n !== MASTER_STATUS_SIZE) throw Object.assign(new Error('short write'), { code: 'EIO' });
  } catch (err) {
    if (msg.verbose) msg.info(`${myname}: status ${avail}: ${strerror(err)}`);
    return -1;
  }
  if (msg.verbose) msg.info(`${myname}: status ${avail}`);
  return 0;
}
