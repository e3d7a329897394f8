/*
 * queue_file - whole queue files: build the records of a submitted (maildrop) file the way
 * sendmail and postdrop write it, and of a queued file the way cleanup writes it; write them
 * durably (fsync, then the "complete" mode); read a queued file back strictly.
 * Counterpart: the output halves of postfix/src/sendmail/sendmail.c, postdrop/postdrop.c and
 * cleanup/cleanup_{envelope,message,extracted,final}.c, and the input checks of
 * qmgr/qmgr_message.c. No address rewriting or header processing happens here: the caller
 * gives addresses and text in their final form.
 */
import { closeSync, fchmodSync } from 'node:fs';
import { msg } from '../util/msg.js';
import { MAIL_QUEUE_STAT_READY, mailQueueEnter, type QueueLayout, type TimeVal } from './mail_queue.js';
import {
  REC_TYPE_ATTR, REC_TYPE_CONT, REC_TYPE_DONE, REC_TYPE_END, REC_TYPE_ENVELOPE, REC_TYPE_EOF, REC_TYPE_EXTRACT, REC_TYPE_FILT,
  REC_TYPE_FROM, REC_TYPE_FULL, REC_TYPE_KILL, REC_TYPE_MESG, REC_TYPE_NORM, REC_TYPE_ORCP, REC_TYPE_RCPT, REC_TYPE_RDR,
  REC_TYPE_SIZE, REC_TYPE_TIME, REC_TYPE_VERP, REC_TYPE_WARN, REC_TYPE_XTRA, REC_TYPE_CONTENT, formatFixedWidth,
  formatSizeRecord, formatTimeRecord, recTypeIn, REC_TYPE_INSP, REC_TYPE_DTXT, REC_TYPE_PTR, REC_TYPE_PTR_PAYL_SIZE,
} from './rec_type.js';
import { MAIL_ATTR_CREATE_TIME, MAIL_ATTR_DSN_ENVID, MAIL_ATTR_DSN_NOTIFY, MAIL_ATTR_DSN_ORCPT, MAIL_ATTR_DSN_RET, MAIL_ATTR_ENCODING, MAIL_ATTR_RWR_CONTEXT, MAIL_ATTR_TRACE_FLAGS } from './rec_attr_map.js';
import { REC_FLAG_SEEK_END, RecordStream, RecordWriter, cString, recGetRaw, recGoto, recPadPayload, recPutType, textLineRecords } from './record.js';
import { isHeader } from './is_header.js';
import { splitNameval } from '../util/split_nameval.js';

/** Postfix: var_line_limit default. */
export const DEF_LINE_LIMIT = 2048;

/** Permission bits at creation and when complete: postdrop's maildrop files and cleanup's. */
export const MAILDROP_FILE_MODES = { create: 0o644, ready: 0o744 };
export const QUEUE_FILE_MODES = { create: 0o600, ready: MAIL_QUEUE_STAT_READY };

type Rec = [number, Buffer | string];

/**
 * Message text as sendmail reads it from standard input: at most limit bytes per record,
 * a line that reaches the limit continues in the next record, a last line without newline
 * is an unterminated record. Postfix: rec_streamlf_get().
 */
export function streamlfRecords(text: Buffer, limit = DEF_LINE_LIMIT): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf(0x0a, pos);
    const lineEnd = nl < 0 ? text.length : nl;
    if (lineEnd - pos >= limit) {
      out.push([REC_TYPE_CONT, text.subarray(pos, pos + limit)]);
      pos += limit;
    } else if (nl < 0) {
      out.push([REC_TYPE_CONT, text.subarray(pos)]);
      pos = text.length;
    } else {
      out.push([REC_TYPE_NORM, text.subarray(pos, nl)]);
      pos = nl + 1;
    }
  }
  return out;
}

/** One line split as rec_streamlf_get() reads it: a piece at every limit bytes, then the rest. */
function streamlfLineRecords(text: Buffer, limit: number, lastType: number): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  let pos = 0;
  while (text.length - pos >= limit && !(lastType === REC_TYPE_CONT && text.length - pos === limit)) {
    out.push([REC_TYPE_CONT, text.subarray(pos, pos + limit)]);
    pos += limit;
  }
  out.push([lastType, text.subarray(pos)]);
  return out;
}

/** What sendmail is given: envelope options and the message text from standard input. */
export interface SubmittedMessage {
  /** postdrop's clock, taken before it created the file. */
  arrival: TimeVal;
  envelopeId?: string; // -V
  retFlags?: number; // -R: 1 full, 2 headers
  rewriteContext?: string; // default "local"
  fullName?: string; // -F or the password file
  sender: string;
  encoding?: string; // -B: 7bit or 8bit
  traceFlags?: number; // -v, -bv
  verpDelimiters?: string; // -XV
  notify?: number; // -N, one A record before each recipient
  recipients: string[];
  /** -t: addresses taken from the headers, written after the content. */
  extracted?: string[];
  text: Buffer;
  /** sendmail without -i: a line with only "." ends the text. */
  stopAtDot?: boolean;
  lineLimit?: number;
}

/**
 * The records of a maildrop file. Leading "From " lines are dropped and trailing carriage
 * returns removed (sendmail_fix_line_endings = always), as sendmail does.
 */
export function maildropRecords(m: SubmittedMessage): Rec[] {
  const recs: Rec[] = [[REC_TYPE_TIME, formatTimeRecord(m.arrival.sec, m.arrival.usec)]];
  const attr = (name: string, value: string | number) => recs.push([REC_TYPE_ATTR, `${name}=${value}`]);
  if (m.envelopeId !== undefined) attr(MAIL_ATTR_DSN_ENVID, m.envelopeId);
  if (m.retFlags) attr(MAIL_ATTR_DSN_RET, m.retFlags);
  attr(MAIL_ATTR_RWR_CONTEXT, m.rewriteContext ?? 'local');
  if (m.fullName !== undefined) recs.push([REC_TYPE_FULL, m.fullName]);
  recs.push([REC_TYPE_FROM, m.sender]);
  if (m.encoding !== undefined) attr(MAIL_ATTR_ENCODING, m.encoding);
  if (m.traceFlags) attr(MAIL_ATTR_TRACE_FLAGS, m.traceFlags);
  if (m.verpDelimiters !== undefined) recs.push([REC_TYPE_VERP, m.verpDelimiters]);
  const recipients = (list: string[]) => {
    for (const rcpt of list) {
      if (m.notify) attr(MAIL_ATTR_DSN_NOTIFY, m.notify);
      recs.push([REC_TYPE_RCPT, rcpt]);
    }
  };
  recipients(m.recipients);
  recs.push([REC_TYPE_MESG, '']);
  let skipFrom = true;
  let prevType = 0;
  for (const [type, data] of streamlfRecords(m.text, m.lineLimit ?? DEF_LINE_LIMIT)) {
    if (skipFrom) {
      if (type === REC_TYPE_NORM && /^>*From /.test(data.toString('latin1'))) continue;
      skipFrom = false;
    }
    let end = data.length;
    if (type === REC_TYPE_NORM) while (end > 0 && data[end - 1] === 0x0d) end--;
    if (m.stopAtDot && prevType !== REC_TYPE_CONT && end === 1 && data[0] === 0x2e) break;
    recs.push([type, data.subarray(0, end)]);
    prevType = type;
  }
  recs.push([REC_TYPE_XTRA, '']);
  recipients(m.extracted ?? []);
  recs.push([REC_TYPE_END, '']);
  return recs;
}

export interface QueuedAttribute {
  name: string;
  value: string;
  /** Killed in place (A became K), as qmgr does after a trace report. */
  killed?: boolean;
  /**
   * Another envelope record kept in its place among the attributes: VERP delimiters,
   * content inspector, a content filter or redirect given before the content. Its
   * payload is value; name is empty.
   */
  recordType?: number;
}

/* Envelope records that the model keeps in place, as they came. */
const ENVELOPE_PASSTHROUGH = new Set([REC_TYPE_VERP, REC_TYPE_INSP, REC_TYPE_FILT, REC_TYPE_RDR]);

export interface QueuedRecipient {
  address: string;
  /** The address before rewriting (O record). */
  original?: string;
  /** DSN ORCPT "type;address"; cleanup always writes one. */
  dsnOrcpt?: string;
  notify?: number;
  /** Delivered: the R record is turned into D in place once the file is complete. */
  done?: boolean;
}

/** One logical line of message text; unterminated lines end in an L record. */
export interface TextLine {
  text: Buffer;
  terminated: boolean;
}

/** A message as cleanup leaves it in the incoming, hold or deferred queue. */
export interface QueuedMessage {
  arrival: TimeVal;
  createTime: number;
  /** Attributes between create_time and the sender (log_ident, rewrite_context, DSN ...). */
  beforeSender: QueuedAttribute[];
  fullName?: string;
  sender: string;
  /** Attributes after the sender (encoding, client information, trace flags ...). */
  afterSender: QueuedAttribute[];
  /** Next delay warning time (W record); -1 once sent. */
  warnTime?: number;
  recipients: QueuedRecipient[];
  content: TextLine[];
  extracted: {
    contentFilter?: string;
    redirect?: string;
    encoding?: string;
    recipients: QueuedRecipient[];
  };
  /** SMTPUTF8 flags for the size record (field 6). */
  smtputf8: number;
  /**
   * Milters configured: cleanup then leaves room for their edits (placeholder pointer
   * records, padding after a short sender and after short header lines).
   */
  milterPlaceholders?: boolean;
  lineLimit?: number;
}

/** Message text as cleanup stores it: one logical line per entry. */
export function textLines(text: Buffer): TextLine[] {
  const lines: TextLine[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf(0x0a, pos);
    if (nl < 0) {
      lines.push({ text: text.subarray(pos), terminated: false });
      break;
    }
    lines.push({ text: text.subarray(pos, nl), terminated: true });
    pos = nl + 1;
  }
  return lines;
}

/** Postfix: the NOTIFY bits (NEVER 1 ... DELAY 8) as qmgr flags, shifted left by one. */
function dsnNotifyQmgrFlags(notify: number): number {
  return (notify & 0x0f) << 1;
}

/**
 * Write a queued (cleanup format) file. Offsets of the data and extracted segments and
 * the recipient count go into the size record, which is written first with zeros and
 * rewritten in place; then fsync, the complete mode, and the in-place updates that
 * other programs make later (done recipients, killed attributes).
 */
export function writeQueuedMessage(top: string, layout: QueueLayout, queueName: string, m: QueuedMessage, clock?: () => TimeVal): { queueId: string; path: string } {
  return writeQueueFile(top, layout, queueName, QUEUE_FILE_MODES, clock, (w) => {
    const limit = m.lineLimit ?? DEF_LINE_LIMIT;
    const zeros = formatSizeRecord([0, 0, 0, 0, 0, 0]);
    const sizeAt = w.put(REC_TYPE_SIZE, zeros);
    const later: Array<[number, number]> = []; // offset, new type
    let rcptCount = 0;
    let qmgrFlags = 0;
    const attrs = (list: QueuedAttribute[]) => {
      for (const a of list) {
        const at = a.recordType !== undefined && a.recordType !== REC_TYPE_ATTR
          ? w.put(a.recordType, a.value) : w.put(REC_TYPE_ATTR, `${a.name}=${a.value}`);
        if (a.killed) later.push([at, REC_TYPE_KILL]);
      }
    };
    const recipients = (list: QueuedRecipient[]) => {
      for (const r of list) {
        if (r.notify) w.put(REC_TYPE_ATTR, `${MAIL_ATTR_DSN_NOTIFY}=${r.notify}`);
        w.put(REC_TYPE_ATTR, `${MAIL_ATTR_DSN_ORCPT}=${r.dsnOrcpt ?? `rfc822;${r.address}`}`);
        w.put(REC_TYPE_ORCP, r.original ?? r.address);
        const at = w.put(REC_TYPE_RCPT, r.address);
        if (r.done) later.push([at, REC_TYPE_DONE]);
        rcptCount++;
        qmgrFlags |= dsnNotifyQmgrFlags(r.notify ?? 0);
      }
    };
    w.put(REC_TYPE_TIME, formatTimeRecord(m.arrival.sec, m.arrival.usec));
    w.put(REC_TYPE_ATTR, `${MAIL_ATTR_CREATE_TIME}=${m.createTime}`);
    attrs(m.beforeSender);
    if (m.fullName !== undefined) w.put(REC_TYPE_FULL, m.fullName);
    w.put(REC_TYPE_FROM, m.sender);
    // Room to replace the sender with a pointer record later.
    if (m.milterPlaceholders && senderLength(m.sender) < REC_TYPE_PTR_PAYL_SIZE)
      w.put(REC_TYPE_PTR, recPadPayload(REC_TYPE_PTR_PAYL_SIZE - senderLength(m.sender)));
    attrs(m.afterSender);
    if (m.warnTime !== undefined) w.put(REC_TYPE_WARN, formatFixedWidth(m.warnTime));
    recipients(m.recipients);
    const placeholder = () => {
      if (m.milterPlaceholders) w.put(REC_TYPE_PTR, formatFixedWidth(0));
    };
    placeholder(); // room to append recipients
    w.put(REC_TYPE_MESG);
    const dataOffset = w.offset;
    const headerLines = primaryHeaderLineCount(m.content);
    m.content.forEach((line, i) => {
      if (i === headerLines) placeholder(); // room to append headers
      // Header lines are re-split by cleanup (only beyond the limit); body lines keep the
      // record boundaries they arrived with, which sendmail makes at every limit bytes.
      const lastType = line.terminated ? REC_TYPE_NORM : REC_TYPE_CONT;
      const records = i < headerLines ? textLineRecords(line.text, limit, lastType) : streamlfLineRecords(line.text, limit, lastType);
      for (const [type, data] of records) w.put(type, data);
      // Room to replace a short header line with a pointer record.
      if (m.milterPlaceholders && i < headerLines && !isContinuation(line) && line.text.length < REC_TYPE_PTR_PAYL_SIZE)
        w.put(REC_TYPE_DTXT, recPadPayload(REC_TYPE_PTR_PAYL_SIZE - line.text.length));
    });
    if (headerLines === m.content.length) placeholder();
    placeholder(); // room to replace the body
    const xtraOffset = w.put(REC_TYPE_XTRA);
    if (m.extracted.contentFilter !== undefined) w.put(REC_TYPE_FILT, m.extracted.contentFilter);
    if (m.extracted.redirect !== undefined) w.put(REC_TYPE_RDR, m.extracted.redirect);
    if (m.extracted.encoding !== undefined) w.put(REC_TYPE_ATTR, `${MAIL_ATTR_ENCODING}=${m.extracted.encoding}`);
    placeholder(); // room to append meta records
    recipients(m.extracted.recipients);
    w.put(REC_TYPE_END);
    const contentSize = xtraOffset - dataOffset;
    w.overwrite(sizeAt + 2, formatSizeRecord([contentSize, dataOffset, rcptCount, qmgrFlags, contentSize, m.smtputf8]));
    return later;
  });
}

const senderLength = (sender: string) => Buffer.byteLength(sender, 'latin1');
const isContinuation = (line: TextLine) => line.text[0] === 0x20 || line.text[0] === 0x09;

/** How many leading lines form the primary header: header lines and their continuations. */
function primaryHeaderLineCount(content: TextLine[]): number {
  let n = 0;
  while (n < content.length) {
    const line = content[n]!;
    const text = cString(line.text);
    if (isHeader(text) === 0 && !(n > 0 && isContinuation(line))) break;
    n++;
  }
  return n;
}

/** Write a maildrop file as postdrop does (T first, mode 0644 until complete, then 0744). */
export function writeSubmittedMessage(top: string, layout: QueueLayout, queueName: string, m: SubmittedMessage, clock?: () => TimeVal): { queueId: string; path: string } {
  return writeQueueFile(top, layout, queueName, MAILDROP_FILE_MODES, clock, (w) => {
    for (const [type, data] of maildropRecords(m)) w.put(type, data);
    return [];
  });
}

/**
 * Create a queue file, let fill() write its records, make it durable (fsync) and only
 * then give it the "complete" mode. fill() returns in-place type changes (offset, type) to
 * make afterwards, as delivery agents and qmgr do on a complete file.
 */
function writeQueueFile(top: string, layout: QueueLayout, queueName: string, modes: { create: number; ready: number },
  clock: (() => TimeVal) | undefined, fill: (w: RecordWriter) => Array<[number, number]>): { queueId: string; path: string } {
  const entry = mailQueueEnter(top, layout, queueName, modes.create, clock);
  try {
    fchmodSync(entry.fd, modes.create); // the umask may have taken bits away
    const w = new RecordWriter(entry.fd, entry.path);
    const later = fill(w);
    w.sync();
    fchmodSync(entry.fd, modes.ready);
    for (const [offset, type] of later) recPutType(entry.fd, type, offset);
    return { queueId: entry.queueId, path: entry.path };
  } finally {
    closeSync(entry.fd);
  }
}

/**
 * Read a queued (cleanup format) file strictly: every record must be allowed in its
 * segment, the size record must point at the content, and the file must end with an end
 * record. Anything else is reported with a warning and gives null, never a partial message.
 */
export function readQueuedMessage(stream: RecordStream): QueuedMessage | null {
  const bad = (why: string): null => {
    msg.warn(`${stream.path}: ${why}`);
    return null;
  };
  const m: QueuedMessage = {
    arrival: { sec: 0, usec: 0 }, createTime: 0, beforeSender: [], sender: '', afterSender: [], recipients: [],
    content: [], extracted: { recipients: [] }, smtputf8: 0,
  };
  let segment: 'envelope' | 'content' | 'extracted' = 'envelope';
  let sawSender = false;
  let sawSize = false;
  let sizeFields: number[] = [];
  let pending: Partial<QueuedRecipient> = {};
  let partial: Buffer[] = [];
  let dataOffset = -1;
  let xtraOffset = -1;
  for (;;) {
    const at = stream.tell();
    const rec = recGetRaw(stream, 0, REC_FLAG_SEEK_END);
    if (rec.type === REC_TYPE_EOF) return bad('premature end of file');
    if (rec.type < 0) return null; // the record reader has said why
    // Placeholders and padding say that milters were configured; real pointers are followed.
    if (rec.type === REC_TYPE_PTR) {
      if (/^ *0$/.test(cString(rec.data))) m.milterPlaceholders = true;
      if (recGoto(stream, cString(rec.data)) < 0) return null;
      continue;
    }
    const allowed = segment === 'envelope' ? REC_TYPE_ENVELOPE : segment === 'content' ? REC_TYPE_CONTENT : REC_TYPE_EXTRACT;
    if (!recTypeIn(allowed, rec.type)) return bad(`record type ${rec.type} not allowed in the ${segment} segment`);
    if (rec.type === REC_TYPE_DTXT) {
      m.milterPlaceholders = true;
      continue;
    }
    const text = cString(rec.data);
    const recipientList = segment === 'envelope' ? m.recipients : m.extracted.recipients;
    // 'L' means a content filter in the envelope segments and a text piece in the content
    // segment; content records are switched on as negative numbers to keep the two apart.
    switch (segment === 'content' ? -rec.type : rec.type) {
      case REC_TYPE_SIZE:
        if (sawSize || at !== 0) return bad('misplaced size record');
        sawSize = true;
        sizeFields = text.trim().split(/ +/).map(Number);
        if (sizeFields.length < 6 || sizeFields.some((n) => !Number.isInteger(n))) return bad(`bad size record: ${text}`);
        m.smtputf8 = sizeFields[5]!;
        break;
      case REC_TYPE_TIME: {
        const [sec, usec] = text.split(' ').map(Number);
        m.arrival = { sec: sec!, usec: usec ?? 0 };
        break;
      }
      case REC_TYPE_FULL: m.fullName = rec.data.toString('latin1'); break;
      case REC_TYPE_FROM:
        m.sender = rec.data.toString('latin1');
        sawSender = true;
        break;
      case REC_TYPE_WARN: m.warnTime = Number(text.trim()); break;
      case REC_TYPE_VERP:
      case REC_TYPE_INSP:
      case REC_TYPE_FILT:
      case REC_TYPE_RDR:
        if (segment === 'envelope' && ENVELOPE_PASSTHROUGH.has(rec.type))
          (sawSender ? m.afterSender : m.beforeSender).push({ name: '', value: rec.data.toString('latin1'), recordType: rec.type });
        else if (rec.type === REC_TYPE_FILT) m.extracted.contentFilter = text;
        else if (rec.type === REC_TYPE_RDR) m.extracted.redirect = text;
        else return bad(`record type ${rec.type} is not supported here`);
        break;
      case REC_TYPE_ATTR:
      case REC_TYPE_KILL: {
        const attr = splitNameval(text);
        if (typeof attr === 'string') return bad(`malformed attribute: ${attr}: ${text.slice(0, 100)}`);
        if (rec.type === REC_TYPE_ATTR && attr.name === MAIL_ATTR_CREATE_TIME) m.createTime = Number(attr.value);
        else if (rec.type === REC_TYPE_ATTR && attr.name === MAIL_ATTR_DSN_NOTIFY) pending.notify = Number(attr.value);
        else if (rec.type === REC_TYPE_ATTR && attr.name === MAIL_ATTR_DSN_ORCPT) pending.dsnOrcpt = attr.value;
        else if (segment === 'extracted' && attr.name === MAIL_ATTR_ENCODING) m.extracted.encoding = attr.value;
        else (sawSender ? m.afterSender : m.beforeSender).push({ ...attr, ...(rec.type === REC_TYPE_KILL ? { killed: true } : {}) });
        break;
      }
      case REC_TYPE_ORCP: pending.original = rec.data.toString('latin1'); break;
      case REC_TYPE_RCPT:
      case REC_TYPE_DONE:
        recipientList.push({ ...pending, address: rec.data.toString('latin1'), ...(rec.type === REC_TYPE_DONE ? { done: true } : {}) });
        pending = {};
        break;
      case REC_TYPE_MESG:
        if (!sawSender) return bad('message content before the sender');
        segment = 'content';
        dataOffset = stream.tell();
        break;
      case -REC_TYPE_NORM:
        m.content.push({ text: Buffer.concat([...partial, rec.data]), terminated: true });
        partial = [];
        break;
      case -REC_TYPE_CONT:
        partial.push(Buffer.from(rec.data));
        if (rec.data.length !== DEF_LINE_LIMIT) {
          m.content.push({ text: Buffer.concat(partial), terminated: false });
          partial = [];
        }
        break;
      case -REC_TYPE_XTRA:
        if (partial.length > 0) m.content.push({ text: Buffer.concat(partial), terminated: false });
        partial = [];
        xtraOffset = at;
        segment = 'extracted';
        break;
      case REC_TYPE_END:
        if (!sawSize || sizeFields[0] !== xtraOffset - dataOffset || sizeFields[1] !== dataOffset)
          return bad('size record does not match the content segment');
        return m;
      default:
        return bad(`record type ${rec.type} is not supported here`);
    }
  }
}
