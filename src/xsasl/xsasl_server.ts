/*
 * xsasl_server - the registry of SASL plug-in types for the SMTP server side.
 * Counterpart: postfix/src/xsasl/xsasl_server.c (xsasl_server_types). Empty until a SASL
 * implementation registers itself; postconf -a lists what is registered here.
 */
const serverTypes: string[] = [];

export function xsaslServerRegister(type: string): void {
  serverTypes.push(type);
}

/** Postfix: xsasl_server_types(). */
export function xsaslServerTypes(): string[] {
  return [...serverTypes];
}
