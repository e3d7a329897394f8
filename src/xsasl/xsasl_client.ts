/*
 * xsasl_client - the registry of SASL plug-in types for the SMTP client side.
 * Counterpart: postfix/src/xsasl/xsasl_client.c (xsasl_client_types). Empty until a SASL
 * implementation registers itself; postconf -A lists what is registered here.
 */
const clientTypes: string[] = [];

export function xsaslClientRegister(type: string): void {
  clientTypes.push(type);
}

/** Postfix: xsasl_client_types(). */
export function xsaslClientTypes(): string[] {
  return [...clientTypes];
}
