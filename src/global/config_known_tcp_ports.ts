/*
 * config_known_tcp_ports - load "name = port, name = name = port, ..." (known_tcp_ports)
 * into the known-port table; bad associations are skipped with a warning.
 * Counterpart: postfix/src/global/config_known_tcp_ports.c.
 */
import { msg } from '../util/msg.js';
import { addKnownTcpPort, clearKnownTcpPorts } from '../util/known_tcp_ports.js';

/** Postfix: mystrtok() on white space: the first word and whether another follows. */
function words(text: string): string[] {
  return text.split(/[ \t\r\n]+/).filter((w) => w !== '');
}

/** Postfix: config_known_tcp_ports(). source names the setting in warnings. */
export function configKnownTcpPorts(source: string, settings: string): void {
  clearKnownTcpPorts();
  for (const association of settings.split(',').filter((a) => a !== '')) {
    // Spaces around the text make "=x" and "x=" split into two fields.
    const fields = ` ${association} `.split('=');
    if (fields.length === 1) {
      msg.warn(`${source}: in "${association}" is not in "name = value" form`);
      continue;
    }
    let err: string | undefined;
    const rhs = words(fields[fields.length - 1]!);
    if (rhs.length === 0) {
      err = 'missing port value after "="';
    } else if (rhs.length > 1) {
      err = 'whitespace in port number';
    } else {
      for (const field of fields.slice(0, -1)) {
        const lhs = words(field);
        const newErr = lhs.length === 0 ? 'missing service name before "="'
          : lhs.length > 1 ? 'whitespace in service name' : addKnownTcpPort(lhs[0]!, rhs[0]!);
        err ??= newErr;
      }
    }
    if (err !== undefined) msg.warn(`${source}: in "${association}": ${err}`);
  }
}
