/*
 * info_log_addr_form - how addresses appear in info-level log lines: external (quoted,
 * as on the wire) or internal (as stored), per info_log_address_format.
 * Counterpart: postfix/src/global/info_log_addr_form.c.
 */
import { msg } from '../util/msg.js';
import { mailConfStr } from './mail_conf.js';
import { quote822Local } from './quote_822_local.js';

let form: 'internal' | 'external' | undefined;

function logForm(): 'internal' | 'external' {
  if (form !== undefined) return form;
  const value = mailConfStr('info_log_address_format');
  if (value !== 'internal' && value !== 'external') {
    return msg.fatal(`invalid parameter setting "info_log_address_format = ${value}"`);
  }
  form = value;
  return form;
}

function addrForm(addr: string): string {
  if (addr === '' || logForm() === 'internal') return addr;
  return quote822Local(addr);
}

/** Postfix: info_log_addr_form_recipient(). */
export const infoLogAddrFormRecipient = addrForm;
/** Postfix: info_log_addr_form_sender(). */
export const infoLogAddrFormSender = addrForm;
