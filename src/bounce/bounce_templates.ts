/*
 * bounce_templates - the four notification templates (failure, delay, success, verify):
 * built-in defaults, bounce_template_file loading, and the postconf -b/-t listings.
 * Counterpart: postfix/src/bounce/bounce_templates.c. The built-in message texts are our
 * own wording; headers, structure and $name expansions are those of Postfix.
 */
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { loadFileCooled, splitNameval } from '../global/mail_conf.js';
import { type BounceTemplate, type TemplateClass, dumpTemplate, expandTemplate, loadTemplate } from './bounce_template.js';

const MAIL_ADDR_MAIL_DAEMON = 'MAILER-DAEMON';
const SIGNATURE = '                   Your mail system';

function builtIn(templateClass: TemplateClass, subject: string, postmasterSubject: string | undefined,
  text: string[]): BounceTemplate {
  return {
    templateClass,
    origin: '[built-in]',
    charset: 'us-ascii',
    encoding: '7bit',
    stdFrom: `Mail Delivery System <${MAIL_ADDR_MAIL_DAEMON}>`,
    obsFrom: `${MAIL_ADDR_MAIL_DAEMON} (Mail Delivery System)`,
    subject,
    postmasterSubject,
    text,
  };
}

const BUILT_IN: Record<TemplateClass, BounceTemplate> = {
  failure: builtIn('failure', 'Undelivered Mail Returned to Sender', 'Postmaster Copy: Undelivered Mail', [
    'This report comes from the mail system at host $myhostname.',
    '',
    'Your message could not be delivered to one or more of its',
    'recipients. The message is returned with this report.',
    '',
    'If you need help, write to postmaster and include this',
    'report; you may remove your own text from the returned message.',
    '',
    SIGNATURE,
  ]),
  delay: builtIn('delay', 'Delayed Mail (still being retried)', 'Postmaster Warning: Delayed Mail', [
    'This report comes from the mail system at host $myhostname.',
    '',
    '##################################################################',
    '# ONLY A WARNING: THERE IS NO NEED TO SEND YOUR MESSAGE AGAIN.    #',
    '##################################################################',
    '',
    'Delivery of your message has failed for $delay_warning_time_hours hour(s) so far.',
    'The mail system keeps trying until the message is $maximal_queue_lifetime_days day(s) old.',
    '',
    'If you need help, write to postmaster and include this',
    'report; you may remove your own text from the returned message.',
    '',
    SIGNATURE,
  ]),
  success: builtIn('success', 'Successful Mail Delivery Report', undefined, [
    'This report comes from the mail system at host $myhostname.',
    '',
    'Your message reached the destination(s) listed below. Delivery',
    'into a mailbox ends our reporting; when the message went on to',
    'other systems, they may still report trouble of their own.',
    '',
    SIGNATURE,
  ]),
  verify: builtIn('verify', 'Mail Delivery Status Report', undefined, [
    'This report comes from the mail system at host $myhostname.',
    '',
    'The delivery report that you asked for is attached.',
    '',
    SIGNATURE,
  ]),
};

const CLASSES: readonly TemplateClass[] = ['failure', 'delay', 'success', 'verify'];

export type BounceTemplates = Record<TemplateClass, BounceTemplate>;

/** Postfix: bounce_templates_create(). */
export function createTemplates(): BounceTemplates {
  return Object.fromEntries(CLASSES.map((c) => [c, { ...BUILT_IN[c] }])) as BounceTemplates;
}

/**
 * Postfix: load_file() with bounce_templates_load(): name = value entries, where a value
 * "<<MARKER" takes the following lines up to a line that is exactly MARKER.
 */
export function loadTemplatesFile(path: string, ts: BounceTemplates): void {
  const err = loadFileCooled(path, (text) => loadTemplatesText(path, text, ts));
  if (err !== undefined) msg.fatal(`open ${path}: ${strerror(err)}`);
}

function loadTemplatesText(path: string, text: string, ts: BounceTemplates): void {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // Postfix counts from 1 before reading the first line, so line numbers are one high.
  let lineno = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    lineno++;
    if (/^[ \t\n\v\f\r]*(#|$)/.test(line)) continue;
    const nv = splitNameval(line);
    if (typeof nv === 'string') msg.fatal(`${path}, line ${lineno}: ${nv}: "${line}"`);
    let [name, value] = nv;
    if (value.startsWith('<<')) {
      const marker = value.slice(2).replace(/^[ \t\n\v\f\r]+/, '');
      if (marker === '') msg.fatal(`${path}, line ${lineno}: missing end marker after <<`);
      if (!/^[A-Za-z0-9]/.test(marker)) msg.fatal(`${path}, line ${lineno}: malformed end marker after <<`);
      const body: string[] = [];
      let ended = false;
      while (++i < lines.length) {
        lineno++;
        if (lines[i] === marker) {
          ended = true;
          break;
        }
        body.push(lines[i]!);
      }
      if (!ended) msg.warn(`${path}, line ${lineno}: missing "${marker}" end marker`);
      value = body.join('\n');
    }
    const templateClass = CLASSES.find((c) => name === `${c}_template`);
    if (templateClass === undefined) {
      msg.warn(`${path}, line ${lineno}: unknown template name: ${name} -- ignoring this template`);
      continue;
    }
    loadTemplate(ts[templateClass], BUILT_IN[templateClass], path, value);
  }
}

/** Postfix: bounce_templates_expand() (postconf -b). */
export function expandTemplates(ts: BounceTemplates): string {
  return CLASSES.map((c) => `expanded_${c}_text = <<EOF\n${expandTemplate(ts[c], BUILT_IN[c]).map((l) => `${l}\n`).join('')}EOF\n`)
    .join('\n');
}

/** Postfix: bounce_templates_dump() (postconf -t). */
export function dumpTemplates(ts: BounceTemplates, standardFrom: boolean): string {
  return CLASSES.map((c) => `${c}_template = <<EOF\n${dumpTemplate(ts[c], BUILT_IN[c], standardFrom).map((l) => `${l}\n`).join('')}EOF\n`)
    .join('\n');
}
