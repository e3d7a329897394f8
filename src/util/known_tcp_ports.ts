/*
 * known_tcp_ports - service names that map to port numbers without asking the system's
 * services database (main.cf known_tcp_ports, "smtp = 25, ...").
 * Counterpart: postfix/src/util/known_tcp_ports.c.
 */
import { allDigits } from './stringops.js';

let knownTcpPorts: Map<string, string> | undefined;

/** Postfix: add_known_tcp_port(). An error text, or undefined. */
export function addKnownTcpPort(name: string, port: string): string | undefined {
  if (allDigits(name)) return 'numerical service name';
  if (!allDigits(port)) return 'non-numerical service port';
  knownTcpPorts ??= new Map();
  if (knownTcpPorts.has(name)) return 'duplicate service name';
  knownTcpPorts.set(name, port);
  return undefined;
}

/** Postfix: filter_known_tcp_port(): the port of a known name, else the argument. */
export function filterKnownTcpPort(nameOrPort: string): string {
  if (knownTcpPorts === undefined || allDigits(nameOrPort)) return nameOrPort;
  return knownTcpPorts.get(nameOrPort) ?? nameOrPort;
}

/** Postfix: clear_known_tcp_ports(). */
export function clearKnownTcpPorts(): void {
  knownTcpPorts = undefined;
}
