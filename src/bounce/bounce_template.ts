/*
 * bounce_template - one delivery status notification template: headers and message text.
 * Counterpart: postfix/src/bounce/bounce_template.c. A template from bounce_template_file
 * is parsed on first use; a bad one is reported and the built-in template is used.
 * Text expansion knows $<time parameter>_<unit> for delay_warning_time and
 * maximal_queue_lifetime, and otherwise looks names up in main.cf.
 */
import { domainToUnicode } from 'node:url';
import { msg } from '../util/msg.js';
import { MAC_PARSE_ERROR, MAC_PARSE_UNDEF, MAC_EXP_FLAG_PRINTABLE, macExpand } from '../util/mac_expand.js';
import { mailConfBool, mailConfExpand, mailConfRaw, mailConfStr, mailConfTime } from '../global/mail_conf.js';

export type TemplateClass = 'failure' | 'delay' | 'success' | 'verify';

export interface BounceTemplate {
  readonly templateClass: TemplateClass;
  origin: string;
  charset: string;
  encoding: '7bit' | '8bit';
  stdFrom: string;
  obsFrom: string;
  subject: string;
  /** Only failure and delay notices have a separate subject for the postmaster copy. */
  postmasterSubject: string | undefined;
  text: readonly string[];
  /** Unparsed text from bounce_template_file, parsed on first use. */
  buffer?: string;
}

const TIME_DIVISORS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400, weeks: 604800 };
const TIME_PARAMETERS = ['delay_warning_time', 'maximal_queue_lifetime'];
const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);

/** Postfix: bounce_template_load(): replace the text (later entries win). */
export function loadTemplate(tp: BounceTemplate, builtIn: BounceTemplate, origin: string, buffer: string): void {
  Object.assign(tp, builtIn, { origin, buffer });
}

/** Postfix: is_header(): the length of a "Name:" label at the start of a line, or 0. */
function headerLength(line: string): number {
  const m = /^[!-9;-~]+(?=[ \t]*:)/.exec(line);
  return m === null ? 0 : m[0].length;
}

/** Postfix: bounce_template_parse_buffer(). On trouble, warn and keep the built-in template. */
function parseBuffer(tp: BounceTemplate, builtIn: BounceTemplate): void {
  const lines = tp.buffer!.split('\n');
  delete tp.buffer;
  const giveUp = (why: string) => {
    msg.warn(`${tp.origin}: ${why} in ${tp.templateClass} template -- ignoring this template`);
    Object.assign(tp, builtIn);
  };
  let i = 0;
  const parsed = { ...tp };
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const hlen = headerLength(line);
    if (hlen === 0) break;
    const label = line.slice(0, hlen);
    const value = line.slice(hlen).replace(/^[: \t\n\r\v\f]+/, '');
    if (value === '') return giveUp(`empty "${label}" header value`);
    if (!isAscii(value)) return giveUp(`non-ASCII "${label}" header value`);
    switch (label.toLowerCase()) {
      case 'charset': parsed.charset = value; break;
      case 'from': parsed.stdFrom = parsed.obsFrom = value; break;
      case 'subject': parsed.subject = value; break;
      case 'postmaster-subject':
        if (parsed.postmasterSubject === undefined) return giveUp(`inapplicable "${label}" header label`);
        parsed.postmasterSubject = value;
        break;
      default:
        return giveUp(`unknown "${label}" header label`);
    }
  }
  while (i < lines.length && /^[ \t\n\r\v\f]*$/.test(lines[i]!)) i++;
  if (i >= lines.length) return giveUp('missing message text');
  const text = lines.slice(i);
  if (!text.every(isAscii)) {
    if (parsed.charset.toLowerCase() === 'us-ascii') {
      msg.warn(`${tp.origin}: 8-bit message text in ${tp.templateClass} template`);
      msg.warn('please specify a charset value other than us-ascii');
      msg.warn('-- ignoring this template for now');
      Object.assign(tp, builtIn);
      return;
    }
    parsed.encoding = '8bit';
  }
  Object.assign(tp, parsed, { text });
}

/** Postfix: bounce_template_lookup(). */
function templateLookup(tp: BounceTemplate, key: string): string | undefined {
  for (const param of TIME_PARAMETERS) {
    if (!key.startsWith(`${param}_`)) continue;
    const suffix = key.slice(param.length + 1);
    const divisor = TIME_DIVISORS[suffix];
    if (divisor === undefined) msg.fatal(`${tp.origin}: unrecognized suffix "${suffix}" in parameter "${key}"`);
    const seconds = mailConfTime(param);
    const result = Math.floor(seconds / divisor);
    if (result > 999 && divisor < 86400) {
      msg.warn(`${tp.origin}: excessive result "${result}" in ${tp.templateClass} template conversion of parameter "${key}"`);
      msg.warn(`please increase time unit "${suffix}" of "${key}" in ${tp.templateClass} template`);
      msg.warn('for instructions see the bounce(5) manual');
    } else if (result === 0 && seconds && divisor > 1) {
      msg.warn(`${tp.origin}: zero result in ${tp.templateClass} template conversion of parameter "${key}"`);
      msg.warn(`please reduce time unit "${suffix}" of "${key}" in ${tp.templateClass} template`);
      msg.warn('for instructions see the bounce(5) manual');
    }
    return String(result);
  }
  if ((key === 'myhostname' || key === 'mydomain') && mailConfBool('smtputf8_enable')) {
    const ascii = mailConfStr(key);
    if (!isAscii(ascii)) {
      msg.warn(`${tp.origin}: conversion "${key}" failed: non-ASCII input value: "${ascii}"`);
      return ascii;
    }
    const utf8 = domainToUnicode(ascii);
    if (utf8 === '') {
      msg.warn(`${tp.origin}: conversion "${key}" failed: input value: "${ascii}"`);
      return ascii;
    }
    return Buffer.from(utf8, 'utf8').toString('latin1');
  }
  // A daemon's configuration holds every parameter it knows, defaults included.
  const raw = mailConfRaw(key);
  return raw === undefined ? undefined : mailConfExpand(raw);
}

/** The template ready for use: parsed if it came from a file. */
function ready(tp: BounceTemplate, builtIn: BounceTemplate): BounceTemplate {
  if (tp.buffer !== undefined) parseBuffer(tp, builtIn);
  return tp;
}

/** Postfix: bounce_template_expand(): the message text with $names filled in, line by line. */
export function expandTemplate(tp: BounceTemplate, builtIn: BounceTemplate): string[] {
  return ready(tp, builtIn).text.map((line) => {
    const out = macExpand(line, MAC_EXP_FLAG_PRINTABLE, undefined, (name) => templateLookup(tp, name));
    if (out.status & MAC_PARSE_ERROR) msg.fatal(`${tp.origin}: bad $name syntax in ${tp.templateClass} template: ${line}`);
    if (out.status & MAC_PARSE_UNDEF) msg.fatal(`${tp.origin}: undefined $name in ${tp.templateClass} template: ${line}`);
    return out.result;
  });
}

/** Postfix: bounce_template_dump(): the template in bounce_template_file syntax. */
export function dumpTemplate(tp: BounceTemplate, builtIn: BounceTemplate, standardFrom: boolean): string[] {
  ready(tp, builtIn);
  return [
    `Charset: ${tp.charset}`,
    `From: ${standardFrom ? tp.stdFrom : tp.obsFrom}`,
    `Subject: ${tp.subject}`,
    ...(tp.postmasterSubject !== undefined ? [`Postmaster-Subject: ${tp.postmasterSubject}`] : []),
    '',
    ...tp.text,
  ];
}
