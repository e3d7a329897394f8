/*
 * mime_state - the MIME state machine that cleanup and "postmap -m" run a message through:
 * primary headers, body, multipart boundaries and the headers after them, message/rfc822
 * attachments with their own headers; optional 8bit-to-quoted-printable downgrade and
 * reports of 8-bit text, truncated headers, excess nesting and bad encoding domains.
 * Counterpart: postfix/src/global/mime_state.c. Input comes as records (REC_TYPE_NORM: a
 * line, REC_TYPE_CONT: part of a line, anything else: the end); output goes to callbacks,
 * which may be async. Text is byte strings.
 */
import { msg } from '../util/msg.js';
import { REC_TYPE_CONT, REC_TYPE_NORM } from './rec_type.js';
import { HDR_CONTENT_TRANSFER_ENCODING, HDR_CONTENT_TYPE, type HeaderOpts, headerOptsFind } from './header_opts.js';
import { HEADER_TOK_TOKEN, type HeaderToken, headerToken } from './header_token.js';
import { mailConfInt } from './mail_conf.js';

/* Processing options. */
export const MIME_OPT_NONE = 0;
export const MIME_OPT_DOWNGRADE = 1 << 0;
export const MIME_OPT_REPORT_8BIT_IN_7BIT_BODY = 1 << 1;
export const MIME_OPT_REPORT_8BIT_IN_HEADER = 1 << 2;
export const MIME_OPT_REPORT_ENCODING_DOMAIN = 1 << 3;
export const MIME_OPT_RECURSE_ALL_MESSAGE = 1 << 4;
export const MIME_OPT_REPORT_TRUNC_HEADER = 1 << 5;
export const MIME_OPT_DISABLE_MIME = 1 << 6;
export const MIME_OPT_REPORT_NESTING = 1 << 7;

/* Encodings and encoding domains (the same codes, so that one can tell them apart). */
const MIME_ENC_QP = 1; // encoding + domain
const MIME_ENC_BASE64 = 2; // encoding + domain
export const MIME_ENC_7BIT = 7; // domain only
export const MIME_ENC_8BIT = 8; // domain only
export const MIME_ENC_BINARY = 9; // domain only

/* Processing errors, not necessarily fatal. */
export const MIME_ERR_NESTING = 1 << 0;
export const MIME_ERR_TRUNC_HEADER = 1 << 1;
export const MIME_ERR_8BIT_IN_HEADER = 1 << 2;
export const MIME_ERR_8BIT_IN_7BIT_BODY = 1 << 3;
export const MIME_ERR_ENCODING_DOMAIN = 1 << 4;

/* Header classes, as passed to the header callback (and the states of the machine). */
export const MIME_HDR_FIRST = 1;
export const MIME_HDR_PRIMARY = 1; // the message's own headers
export const MIME_HDR_MULTIPART = 2; // headers after a multipart boundary
export const MIME_HDR_NESTED = 3; // headers of an attached message
export const MIME_HDR_LAST = 3;

const MIME_STATE_PRIMARY = MIME_HDR_PRIMARY;
const MIME_STATE_MULTIPART = MIME_HDR_MULTIPART;
const MIME_STATE_NESTED = MIME_HDR_NESTED;
const MIME_STATE_BODY = MIME_HDR_NESTED + 1;

/* Content types and subtypes that matter here. */
const MIME_CTYPE_OTHER = 0;
const MIME_CTYPE_TEXT = 1;
const MIME_CTYPE_MESSAGE = 2;
const MIME_CTYPE_MULTIPART = 3;

const MIME_STYPE_OTHER = 0;
const MIME_STYPE_PLAIN = 1;
const MIME_STYPE_RFC822 = 2;
const MIME_STYPE_PARTIAL = 3;
const MIME_STYPE_EXTERN_BODY = 4;
const MIME_STYPE_GLOBAL = 5;

const MIME_MAX_TOKEN = 3; // tokens per attribute
const RFC2045_TSPECIALS = '()<>@,;:\\"/[]?=';

/** RFC 2045 names: [name, encoding, domain]. */
const MIME_ENCODING_MAP: readonly [string, number, number][] = [
  ['7bit', MIME_ENC_7BIT, MIME_ENC_7BIT],
  ['8bit', MIME_ENC_8BIT, MIME_ENC_8BIT],
  ['binary', MIME_ENC_BINARY, MIME_ENC_BINARY],
  ['base64', MIME_ENC_BASE64, MIME_ENC_7BIT],
  ['quoted-printable', MIME_ENC_QP, MIME_ENC_7BIT],
];

export interface MimeStateDetail {
  code: number;
  dsn: string;
  text: string;
}

/* The more serious errors come first: only one can be reported. */
const MIME_ERR_DETAIL: readonly MimeStateDetail[] = [
  { code: MIME_ERR_NESTING, dsn: '5.6.0', text: 'MIME nesting exceeds safety limit' },
  { code: MIME_ERR_TRUNC_HEADER, dsn: '5.6.0', text: 'message header length exceeds safety limit' },
  { code: MIME_ERR_8BIT_IN_HEADER, dsn: '5.6.0', text: 'improper use of 8-bit data in message header' },
  { code: MIME_ERR_8BIT_IN_7BIT_BODY, dsn: '5.6.0', text: 'improper use of 8-bit data in message body' },
  { code: MIME_ERR_ENCODING_DOMAIN, dsn: '5.6.0', text: 'invalid message/* or multipart/* encoding domain' },
];

/** Postfix: mime_state_detail(): the most serious of the errors in errorCode. */
export function mimeStateDetail(errorCode: number): MimeStateDetail {
  if (errorCode === 0) msg.panic('mime_state_detail: there is no error');
  return MIME_ERR_DETAIL.find((d) => d.code & errorCode) ?? msg.panic(`mime_state_detail: unknown error code ${errorCode}`);
}

/** Postfix: mime_state_error(). */
export function mimeStateError(errorCode: number): string {
  if (errorCode === 0) msg.panic('mime_state_error: there is no error');
  return (MIME_ERR_DETAIL.find((d) => d.code & errorCode) ?? msg.panic(`mime_state_error: unknown error code ${errorCode}`)).text;
}

type Awaitable = void | Promise<void>;

/** The callbacks; any may be left out. Header and body callbacks get the offset within their block. */
export interface MimeStateCallbacks {
  /** A complete (unfolded with newlines) header; the class is MIME_HDR_*. */
  headOut?: (headerClass: number, info: HeaderOpts | undefined, header: string, offset: number) => Awaitable;
  /** The end of the primary headers. */
  headEnd?: () => Awaitable;
  /** A body record (REC_TYPE_NORM or REC_TYPE_CONT). */
  bodyOut?: (recType: number, text: string, offset: number) => Awaitable;
  /** The end of the body (a non-text record arrived). */
  bodyEnd?: () => Awaitable;
  /** An error is found for the first time; text is the input that shows it. */
  errPrint?: (errType: number, text: string) => Awaitable;
}

export interface MimeStateLimits {
  /** Postfix: var_header_limit (header_size_limit). */
  headerLimit: number;
  /** Postfix: var_mime_maxdepth (mime_nesting_limit). */
  maxDepth: number;
  /** Postfix: var_mime_bound_len (mime_boundary_length_limit). */
  boundLen: number;
}

interface MimeStack {
  defCtype: number;
  defStype: number;
  boundary: string;
}

const isSpaceTab = (ch: string | undefined) => ch === ' ' || ch === '\t';
const has8bit = (text: string) => /[\x80-\xff]/.test(text);
const HEX = '0123456789ABCDEF';
/** The text of a C string: up to the first NUL. */
const cText = (text: string) => {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
};

/** Postfix: is_header_buf(): the length of a header label (name before the colon), or 0. */
export function isHeaderBuf(text: string): number {
  let len = 0;
  let state = 0; // 0: start, 1: in the name, 2: white space after the name
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) return state !== 0 ? len : 0;
    if (c === 0x20 || c === 0x09) {
      if (state === 0) return 0;
      state = 2;
      continue;
    }
    if (c === 0 || c >= 0x80 || c < 0x20 || c === 0x7f || state === 2) return 0;
    state = 1;
    len++;
  }
  return 0;
}

/** Postfix: MIME_STATE. */
export class MimeState {
  private currState = MIME_STATE_PRIMARY;
  private currCtype = MIME_CTYPE_TEXT;
  private currStype = MIME_STYPE_PLAIN;
  private currEncoding = MIME_ENC_7BIT;
  private currDomain = MIME_ENC_7BIT;
  /** Headers being collected, and quoted-printable output in downgrade mode. */
  private outputBuffer = '';
  private prevRecType = 0;
  private nestingLevel = -1;
  private stack: MimeStack[] = []; // innermost last
  private readonly token: HeaderToken[] = [];
  private errFlags = 0;
  private headOffset = 0;
  private bodyOffset = 0;
  private readonly limits: MimeStateLimits;

  /** Postfix: mime_state_alloc(). Limits default to the main.cf parameters. */
  constructor(private readonly staticFlags: number, private readonly cb: MimeStateCallbacks, limits?: Partial<MimeStateLimits>) {
    this.limits = {
      headerLimit: limits?.headerLimit ?? mailConfInt('header_size_limit'),
      maxDepth: limits?.maxDepth ?? mailConfInt('mime_nesting_limit'),
      boundLen: limits?.boundLen ?? mailConfInt('mime_boundary_length_limit'),
    };
  }

  /** Postfix: SET_MIME_STATE(). */
  private setMimeState(state: number, ctype: number, stype: number, encoding: number, domain: number): void {
    this.currCtype = ctype;
    this.currStype = stype;
    this.currEncoding = encoding;
    this.currDomain = domain;
    this.setCurrState(state);
  }

  /** Postfix: SET_CURR_STATE(). */
  private setCurrState(state: number): void {
    this.currState = state;
    if (state === MIME_STATE_BODY) this.bodyOffset = 0;
    else this.headOffset = 0;
  }

  /** Postfix: REPORT_ERROR(): report an error the first time only. */
  private async reportError(errType: number, text: string): Promise<void> {
    if ((this.errFlags & errType) === 0) {
      await this.cb.errPrint?.(errType, text);
      this.errFlags |= errType;
    }
  }

  /** Postfix: HEAD_OUT(). */
  private async headOut(info: HeaderOpts | undefined, len: number): Promise<void> {
    if (this.cb.headOut) {
      await this.cb.headOut(this.currState, info, this.outputBuffer, this.headOffset);
      this.headOffset += len + 1;
    }
  }

  /** Postfix: BODY_OUT(). */
  private async bodyOut(recType: number, text: string): Promise<void> {
    if (this.cb.bodyOut) {
      await this.cb.bodyOut(recType, text, this.bodyOffset);
      this.bodyOffset += text.length + 1;
    }
  }

  /** Postfix: mime_state_push(). Long boundaries are cut, which still finds every boundary. */
  private push(defCtype: number, defStype: number, boundary: string): void {
    this.nestingLevel += 1;
    const entry = { defCtype, defStype, boundary: boundary.slice(0, this.limits.boundLen) };
    this.stack.push(entry);
    if (msg.verbose) msg.info(`PUSH boundary ${entry.boundary}`);
  }

  /** Postfix: mime_state_pop(). */
  private pop(): void {
    const entry = this.stack.pop();
    if (entry === undefined) return msg.panic('mime_state_pop: there is no stack');
    if (msg.verbose) msg.info(`POP boundary ${entry.boundary}`);
    this.nestingLevel -= 1;
  }

  /** Does the token have this (case-insensitive) text? */
  private tokenMatch(n: number, text: string): boolean {
    const tok = this.token[n];
    return tok !== undefined && tok.type === HEADER_TOK_TOKEN && tok.value.toLowerCase() === text;
  }

  /** Postfix: mime_state_content_type(). */
  private async contentType(info: HeaderOpts): Promise<void> {
    const text = this.outputBuffer;
    let pos = info.name.length + 1;
    const parse = () => {
      const got = headerToken(this.token, MIME_MAX_TOKEN, text, pos, RFC2045_TSPECIALS, ';');
      if (got.count >= 0) pos = got.pos;
      return got.count;
    };
    let count = parse();
    if (count <= 0) {
      this.currCtype = MIME_CTYPE_OTHER;
      return;
    }
    const slashThen = (word: string) => count >= 3 && this.token[1]!.type === 0x2f && this.tokenMatch(2, word);
    if (this.tokenMatch(0, 'text')) {
      this.currCtype = MIME_CTYPE_TEXT;
      this.currStype = slashThen('plain') ? MIME_STYPE_PLAIN : MIME_STYPE_OTHER;
      return;
    }
    if (this.tokenMatch(0, 'message')) {
      // The partial and external-body subtypes must not be converted to 7bit.
      this.currCtype = MIME_CTYPE_MESSAGE;
      this.currStype = MIME_STYPE_OTHER;
      if (count >= 3 && this.token[1]!.type === 0x2f) {
        if (this.tokenMatch(2, 'rfc822')) this.currStype = MIME_STYPE_RFC822;
        else if (this.tokenMatch(2, 'partial')) this.currStype = MIME_STYPE_PARTIAL;
        else if (this.tokenMatch(2, 'external-body')) this.currStype = MIME_STYPE_EXTERN_BODY;
        else if (this.tokenMatch(2, 'global')) this.currStype = MIME_STYPE_GLOBAL;
      }
      return;
    }
    if (this.tokenMatch(0, 'multipart')) {
      this.currCtype = MIME_CTYPE_MULTIPART;
      // multipart/digest parts default to message/rfc822, others to text/plain.
      const digest = slashThen('digest');
      const defCtype = digest ? MIME_CTYPE_MESSAGE : MIME_CTYPE_TEXT;
      const defStype = digest ? MIME_STYPE_RFC822 : MIME_STYPE_PLAIN;
      // Every boundary parameter counts (several are illegal, and could hide content).
      while ((count = parse()) >= 0) {
        if (count >= 3 && this.tokenMatch(0, 'boundary') && this.token[1]!.type === 0x3d) {
          if (this.nestingLevel > this.limits.maxDepth) {
            if (this.staticFlags & MIME_OPT_REPORT_NESTING) await this.reportError(MIME_ERR_NESTING, this.outputBuffer);
          } else {
            this.push(defCtype, defStype, this.token[2]!.value);
          }
        }
      }
    }
    // XXX As in Postfix, another type (application/...) leaves the current type alone;
    // only an empty Content-Type header makes it "other".
  }

  /** Postfix: mime_state_content_encoding(). Unknown encodings leave the state alone. */
  private contentEncoding(info: HeaderOpts): void {
    const got = headerToken(this.token, 1, this.outputBuffer, info.name.length + 1, null, '');
    if (got.count > 0 && this.token[0]!.type === HEADER_TOK_TOKEN) {
      const value = this.token[0]!.value.toLowerCase();
      const found = MIME_ENCODING_MAP.find(([name]) => name === value);
      if (found !== undefined) {
        this.currEncoding = found[1];
        this.currDomain = found[2];
      }
    }
  }

  /** Postfix: mime_state_downgrade(): 8-bit text to quoted-printable, soft breaks at 73. */
  private async downgrade(recType: number, text: string): Promise<void> {
    for (let i = 0; i < text.length; i++) {
      if (this.outputBuffer.length > 72) {
        await this.bodyOut(REC_TYPE_NORM, `${this.outputBuffer}=`);
        this.outputBuffer = '';
      }
      const ch = text.charCodeAt(i);
      if ((ch < 32 && ch !== 9) || ch === 0x3d || ch > 126) this.outputBuffer += `=${HEX[(ch >> 4) & 0xf]}${HEX[ch & 0xf]}`;
      else this.outputBuffer += text[i];
    }
    if (recType === REC_TYPE_NORM) {
      // Trailing white space must be encoded.
      const last = this.outputBuffer.at(-1);
      if (last === ' ' || last === '\t') {
        const ch = last.charCodeAt(0);
        this.outputBuffer = `${this.outputBuffer.slice(0, -1)}=${HEX[(ch >> 4) & 0xf]}${HEX[ch & 0xf]}`;
      }
      await this.bodyOut(REC_TYPE_NORM, this.outputBuffer);
      this.outputBuffer = '';
    }
  }

  /** The name of an encoding, for reports. */
  private static encName(encoding: number): string {
    return MIME_ENCODING_MAP.find(([, enc]) => enc === encoding)?.[0] ?? 'unknown';
  }

  /** Postfix: mime_state_free(): drop the boundaries still open. */
  free(): void {
    while (this.stack.length > 0) this.pop();
  }

  /**
   * Postfix: mime_state_update(). Feed one record; returns the error flags so far. A
   * non-text record (REC_TYPE_END, ...) ends the message: pass one at the end.
   */
  async update(recType: number, text: string): Promise<number> {
    const inputIsText = recType === REC_TYPE_NORM || recType === REC_TYPE_CONT;
    const done = () => {
      this.prevRecType = recType;
      return this.errFlags;
    };

    // An unfinished line goes out before anything that ends the input.
    if (!inputIsText && this.prevRecType === REC_TYPE_CONT) await this.update(REC_TYPE_NORM, '');

    if (this.currState !== MIME_STATE_BODY) {
      if (this.currState !== MIME_STATE_PRIMARY && this.currState !== MIME_STATE_MULTIPART
        && this.currState !== MIME_STATE_NESTED) {
        msg.panic(`mime_state_update: unknown state: ${this.currState}`);
      }
      // Headers collected so far: continue them, or send them out.
      if (this.outputBuffer.length > 0) {
        if (inputIsText) {
          if (this.prevRecType === REC_TYPE_CONT) {
            if (this.outputBuffer.length < this.limits.headerLimit) this.outputBuffer += cText(text);
            else if (this.staticFlags & MIME_OPT_REPORT_TRUNC_HEADER) await this.reportError(MIME_ERR_TRUNC_HEADER, this.outputBuffer);
            return done();
          }
          if (isSpaceTab(text[0])) {
            if (this.outputBuffer.length < this.limits.headerLimit) this.outputBuffer += `\n${cText(text)}`;
            else if (this.staticFlags & MIME_OPT_REPORT_TRUNC_HEADER) await this.reportError(MIME_ERR_TRUNC_HEADER, this.outputBuffer);
            return done();
          }
        }
        // Another header, the end of the headers, or the end of the input: out with it.
        // The Content-Transfer-Encoding header is held back when downgrading: the right
        // one depends on the content type, and is written at the end of the headers.
        const info = headerOptsFind(this.outputBuffer);
        if (!(this.staticFlags & MIME_OPT_DISABLE_MIME) && info !== undefined) {
          if (info.type === HDR_CONTENT_TYPE) await this.contentType(info);
          if (info.type === HDR_CONTENT_TRANSFER_ENCODING) this.contentEncoding(info);
        }
        if ((this.staticFlags & MIME_OPT_REPORT_8BIT_IN_HEADER) && (this.errFlags & MIME_ERR_8BIT_IN_HEADER) === 0
          && has8bit(this.outputBuffer)) {
          await this.reportError(MIME_ERR_8BIT_IN_HEADER, this.outputBuffer);
        }
        if (info === undefined || info.type !== HDR_CONTENT_TRANSFER_ENCODING
          || (this.staticFlags & MIME_OPT_DOWNGRADE) === 0 || this.currDomain === MIME_ENC_7BIT) {
          await this.headOut(info, text.length);
        }
        this.prevRecType = 0;
        this.outputBuffer = '';
      }

      // The start of a header? "Name :" is taken as "Name:".
      if (inputIsText) {
        const headerLen = isHeaderBuf(text);
        if (headerLen > 0) {
          let rest = headerLen;
          while (rest < text.length && isSpaceTab(text[rest])) rest++;
          this.outputBuffer = cText(text.slice(0, headerLen)) + cText(text.slice(rest));
          return done();
        }
      }

      // The end of a block of headers. When downgrading, announce the new encoding:
      // 7bit for message and multipart, quoted-printable for leaf parts.
      if ((this.staticFlags & MIME_OPT_DOWNGRADE) && this.currDomain !== MIME_ENC_7BIT) {
        const encoding = (this.currCtype === MIME_CTYPE_MESSAGE && this.currStype !== MIME_STYPE_GLOBAL)
          || this.currCtype === MIME_CTYPE_MULTIPART ? '7bit' : 'quoted-printable';
        this.outputBuffer = `Content-Transfer-Encoding: ${encoding}`;
        await this.headOut(undefined, text.length);
        this.outputBuffer = '';
      }
      if (this.currState === MIME_STATE_PRIMARY) await this.cb.headEnd?.();

      // Multipart and message parts must use an identity encoding (7bit, 8bit, binary).
      if (this.staticFlags & MIME_OPT_REPORT_ENCODING_DOMAIN) {
        const bad = () => this.reportError(MIME_ERR_ENCODING_DOMAIN, MimeState.encName(this.currEncoding));
        if (this.currCtype === MIME_CTYPE_MESSAGE) {
          if (this.currStype === MIME_STYPE_PARTIAL || this.currStype === MIME_STYPE_EXTERN_BODY) {
            if (this.currDomain !== MIME_ENC_7BIT) await bad();
          } else if (this.currStype === MIME_STYPE_RFC822) {
            // message/global (EAI) may use any encoding.
            if (this.currEncoding !== this.currDomain) await bad();
          }
        } else if (this.currCtype === MIME_CTYPE_MULTIPART) {
          if (this.currEncoding !== this.currDomain) await bad();
        }
      }

      // What comes next: headers of an attached message, or a body. XXX As in Postfix,
      // the body offset is not reset when the state becomes nested headers.
      if (inputIsText) {
        if (text.length === 0) {
          this.bodyOffset = 0;
          if (this.currCtype === MIME_CTYPE_MESSAGE) {
            if (this.currStype === MIME_STYPE_RFC822) {
              this.setMimeState(MIME_STATE_NESTED, MIME_CTYPE_TEXT, MIME_STYPE_PLAIN, MIME_ENC_7BIT, MIME_ENC_7BIT);
            } else if (this.currStype === MIME_STYPE_GLOBAL
              && ((this.staticFlags & MIME_OPT_DOWNGRADE) === 0 || this.currDomain === MIME_ENC_7BIT)) {
              this.setMimeState(MIME_STATE_NESTED, MIME_CTYPE_TEXT, MIME_STYPE_PLAIN, MIME_ENC_7BIT, MIME_ENC_7BIT);
            } else {
              this.setCurrState(MIME_STATE_BODY);
            }
          } else if (this.currCtype === MIME_CTYPE_MULTIPART) {
            this.setMimeState(MIME_STATE_BODY, MIME_CTYPE_OTHER, MIME_STYPE_OTHER, MIME_ENC_7BIT, MIME_ENC_7BIT);
          } else {
            this.setCurrState(MIME_STATE_BODY);
          }
        } else {
          // Text that is no header ends the headers. Only primary headers get the missing
          // empty line; inserting one into an attachment could break a signature.
          if (msg.verbose) {
            const where = this.currState === MIME_STATE_MULTIPART ? 'multipart'
              : this.currState === MIME_STATE_PRIMARY ? 'primary' : this.currState === MIME_STATE_NESTED ? 'nested' : 'other';
            msg.info(`garbage in ${where} header`);
          }
          if (this.currState === MIME_STATE_PRIMARY) await this.bodyOut(REC_TYPE_NORM, '');
          this.setCurrState(MIME_STATE_BODY);
        }
      } else {
        this.setCurrState(MIME_STATE_BODY);
      }
    }

    // Body text: look for boundaries (not at the start of a continued record), recover
    // from missing ones, and ignore what follows "--boundary" or "--boundary--".
    if (inputIsText) {
      if ((this.staticFlags & MIME_OPT_REPORT_8BIT_IN_7BIT_BODY) && this.currEncoding === MIME_ENC_7BIT
        && (this.errFlags & MIME_ERR_8BIT_IN_7BIT_BODY) === 0 && has8bit(text)) {
        await this.reportError(MIME_ERR_8BIT_IN_7BIT_BODY, text);
      }
      if (this.stack.length > 0 && this.prevRecType !== REC_TYPE_CONT && text.length > 2 && text.startsWith('--')) {
        for (let i = this.stack.length - 1; i >= 0; i--) {
          const sp = this.stack[i]!;
          if (text.length >= 2 + sp.boundary.length && text.startsWith(sp.boundary, 2)) {
            while (this.stack.length - 1 > i) this.pop();
            if (text.length >= 4 + sp.boundary.length && text.startsWith('--', 2 + sp.boundary.length)) {
              this.pop();
              this.setMimeState(MIME_STATE_BODY, MIME_CTYPE_OTHER, MIME_STYPE_OTHER, MIME_ENC_7BIT, MIME_ENC_7BIT);
            } else {
              this.setMimeState(MIME_STATE_MULTIPART, sp.defCtype, sp.defStype, MIME_ENC_7BIT, MIME_ENC_7BIT);
            }
            break;
          }
        }
      }
      // Last, for consistency with the header output.
      if ((this.staticFlags & MIME_OPT_DOWNGRADE) && this.currDomain !== MIME_ENC_7BIT) await this.downgrade(recType, text);
      else await this.bodyOut(recType, text);
    } else {
      // The last chance for the application to send what it holds.
      await this.cb.bodyEnd?.();
    }
    return done();
  }
}
