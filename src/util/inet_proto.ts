/*
 * inet_proto - which address families (IPv4, IPv6) the inet_protocols setting enables,
 * after a check that the kernel supports them.
 * Counterpart: postfix/src/util/inet_proto.c (inet_proto_init(), inet_proto_info()).
 */
import { closeSync } from 'node:fs';
import { msg } from './msg.js';
import { nameMask } from './name_mask.js';
import { strerror } from './strerror.js';
import { lastErrno, libc, AF_INET, AF_INET6, SOCK_CLOEXEC, SOCK_STREAM } from './sys_libc.js';

const INET_PROTO_MASK_IPV4 = 1;
const INET_PROTO_MASK_IPV6 = 2;
const PROTO_TABLE = { all: INET_PROTO_MASK_IPV4 | INET_PROTO_MASK_IPV6, ipv6: INET_PROTO_MASK_IPV6, ipv4: INET_PROTO_MASK_IPV4 };

const EPROTONOSUPPORT = 93;
const EAFNOSUPPORT = 97;

export interface InetProtoInfo {
  /** The enabled address families, IPv4 first (Postfix: sa_family_list). */
  families: number[];
}

let current: InetProtoInfo = { families: [AF_INET, AF_INET6] };

function supported(context: string, family: number, name: string): boolean {
  const sock = libc().socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock >= 0) {
    closeSync(sock);
    return true;
  }
  const num = lastErrno();
  if (num !== EAFNOSUPPORT && num !== EPROTONOSUPPORT) msg.fatal(`socket: ${strerror(num)}`);
  msg.warn(`${context}: disabling ${name} name/address support: ${strerror(num)}`);
  return false;
}

/** Postfix: inet_proto_init(). */
export function inetProtoInit(context: string, protocols: string): InetProtoInfo {
  let mask = nameMask(context, PROTO_TABLE, protocols);
  if (mask & INET_PROTO_MASK_IPV6 && !supported(context, AF_INET6, 'IPv6')) mask &= ~INET_PROTO_MASK_IPV6;
  if (mask & INET_PROTO_MASK_IPV4 && !supported(context, AF_INET, 'IPv4')) mask &= ~INET_PROTO_MASK_IPV4;
  const families: number[] = [];
  if (mask & INET_PROTO_MASK_IPV4) families.push(AF_INET);
  if (mask & INET_PROTO_MASK_IPV6) families.push(AF_INET6);
  current = { families };
  return current;
}

/** Postfix: inet_proto_info(). */
export function inetProtoInfo(): InetProtoInfo {
  return current;
}
