/*
 * own_inet_addr - the network addresses that inet services listen on: those that
 * inet_interfaces names, the wild-card addresses, or those of one host name.
 * Counterpart: postfix/src/global/own_inet_addr.c, wildcard_inet_addr.c and
 * postfix/src/util/inet_addr_host.c, inet_addr_list.c (uniq: sorted, IPv4 first).
 * Host names are resolved with getent (the C library's resolver), synchronously: this runs
 * while master(8) reads its configuration.
 */
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { msg } from '../util/msg.js';
import { inetProtoInfo } from '../util/inet_proto.js';
import { inetNtop, inetPton } from '../util/cidr_match.js';
import { AF_INET, AF_INET6 } from '../util/sys_libc.js';

export const INET_INTERFACES_ALL = 'all';
export const INET_INTERFACES_LOCAL = 'loopback-only';

export interface InetAddr {
  family: number;
  /** The address bytes (4 or 16). */
  bytes: Buffer;
}

/** The printable form of an address, as inet_ntop() makes it. */
export function inetAddrText(addr: InetAddr): string {
  return inetNtop(addr.family, addr.bytes);
}

/** A numeric IPv4 or IPv6 address, or null. */
export function inetAddrParse(text: string): InetAddr | null {
  for (const family of [AF_INET, AF_INET6]) {
    const bytes = inetPton(family, text);
    if (bytes !== null) return { family, bytes };
  }
  return null;
}

/** Postfix: inet_addr_host(). "" means the wild-card addresses. Family-filtered. */
export function inetAddrHost(hostname: string): InetAddr[] {
  const families = inetProtoInfo().families;
  let found: InetAddr[];
  if (hostname === '') {
    found = [{ family: AF_INET, bytes: Buffer.alloc(4) }, { family: AF_INET6, bytes: Buffer.alloc(16) }];
  } else {
    const name = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
    const numeric = inetAddrParse(name);
    if (numeric !== null) {
      found = [numeric];
    } else {
      const res = spawnSync('getent', ['ahosts', name], { encoding: 'latin1' });
      found = (res.stdout ?? '').split('\n').filter((l) => / STREAM /.test(l))
        .map((l) => inetAddrParse(l.split(/\s+/)[0]!)).filter((a): a is InetAddr => a !== null);
    }
  }
  return found.filter((a) => {
    if (families.includes(a.family)) return true;
    msg.info(`inet_addr_host: skipping address family ${a.family} for host "${hostname}"`);
    return false;
  });
}

/** Postfix: inet_addr_list_uniq(): sorted by family and address, duplicates dropped. */
export function inetAddrListUniq(list: readonly InetAddr[]): InetAddr[] {
  const sorted = [...list].sort((a, b) => a.family - b.family || Buffer.compare(a.bytes, b.bytes));
  return sorted.filter((a, i) => i === 0 || a.family !== sorted[i - 1]!.family || !a.bytes.equals(sorted[i - 1]!.bytes));
}

/** Postfix: sock_addr_in_loopback(). */
export function inetAddrInLoopback(addr: InetAddr): boolean {
  if (addr.family === AF_INET) return addr.bytes[0] === 127;
  return addr.bytes.equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]));
}

/** Postfix: inet_addr_local(): the addresses of this host's interfaces, IPv4 first. */
function localAddresses(): { addr: InetAddr; internal: boolean }[] {
  const families = inetProtoInfo().families;
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const found: { addr: InetAddr; internal: boolean }[] = [];
  for (const family of [AF_INET, AF_INET6]) {
    if (!families.includes(family)) continue;
    let count = 0;
    for (const nif of all) {
      const addr = inetAddrParse(nif.address);
      if (addr !== null && addr.family === family) {
        found.push({ addr, internal: nif.internal });
        count++;
      }
    }
    if (msg.verbose) msg.info(`inet_addr_local: configured ${count} ${family === AF_INET ? 'IPv4' : 'IPv6'} addresses`);
  }
  return found;
}

let wildcard: InetAddr[] | undefined;
let own: InetAddr[] | undefined;

/** Postfix: wildcard_inet_addr_list(). */
export function wildcardInetAddrList(): InetAddr[] {
  if (wildcard === undefined) {
    wildcard = inetAddrHost('');
    if (wildcard.length === 0) msg.fatal('could not get list of wildcard addresses');
  }
  return wildcard;
}

/** Postfix: own_inet_addr_list(), for an inet_interfaces value. */
export function ownInetAddrList(interfaces: string): InetAddr[] {
  if (own !== undefined) return own;
  if (inetProtoInfo().families.length === 0) {
    if (msg.verbose) msg.info('skipping inet_interfaces setting - all network protocols are disabled');
    return (own = []);
  }
  if (interfaces === INET_INTERFACES_ALL || interfaces === INET_INTERFACES_LOCAL) {
    const local = localAddresses();
    if (local.length === 0) msg.fatal('could not find any active network interfaces');
    const chosen = interfaces === INET_INTERFACES_ALL ? local : local.filter((l) => inetAddrInLoopback(l.addr));
    return (own = chosen.map((l) => l.addr));
  }
  const wanted: InetAddr[] = [];
  for (const host of interfaces.split(/[, \t\r\n]+/).filter((h) => h !== '')) {
    const addrs = inetAddrHost(host);
    if (addrs.length === 0) msg.fatal(`config variable inet_interfaces: host not found: ${host}`);
    wanted.push(...addrs);
  }
  const unique = inetAddrListUniq(wanted);
  const local = localAddresses();
  if (local.length === 0) msg.fatal('could not find any active network interfaces');
  for (const addr of unique) {
    if (!local.some((l) => l.addr.family === addr.family && l.addr.bytes.equals(addr.bytes))) {
      msg.fatal(`parameter inet_interfaces: no local interface found for ${inetAddrText(addr)}`);
    }
  }
  return (own = unique);
}
