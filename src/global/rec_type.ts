/*
 * rec_type - queue file record types, their printable names, the per-segment sets of
 * types that readers accept, and the fixed-width payload formats that are updated in place.
 * Counterpart: postfix/src/global/rec_type.h and rec_type.c (3.7.11). Type codes are
 * numbers (byte values) so that a record type compares like the C int does.
 */

const code = (ch: string): number => ch.charCodeAt(0);

/** Pseudo types that record readers return instead of a record. */
export const REC_TYPE_EOF = -1;
export const REC_TYPE_ERROR = -2;

export const REC_TYPE_SIZE = code('C'); // first record, written by cleanup
export const REC_TYPE_TIME = code('T'); // arrival time
export const REC_TYPE_CTIME = code('c'); // create time (stored as an A record)
export const REC_TYPE_FULL = code('F'); // sender full name
export const REC_TYPE_INSP = code('I'); // content inspector (legacy)
export const REC_TYPE_FILT = code('L'); // content filter, in an envelope segment
export const REC_TYPE_FROM = code('S'); // envelope sender
export const REC_TYPE_DONE = code('D'); // recipient already done
export const REC_TYPE_RCPT = code('R'); // recipient still to do
export const REC_TYPE_ORCP = code('O'); // original recipient
export const REC_TYPE_DRCP = code('/'); // recipient canceled by a milter
export const REC_TYPE_WARN = code('W'); // time of the next delay warning
export const REC_TYPE_ATTR = code('A'); // name=value attribute
export const REC_TYPE_KILL = code('K'); // record killed in place
export const REC_TYPE_RDR = code('>'); // redirect target
export const REC_TYPE_FLGS = code('f'); // cleanup flags (cleanup protocol only)
export const REC_TYPE_DELAY = code('d'); // cleanup delay (cleanup protocol only)
export const REC_TYPE_MESG = code('M'); // start of the message content
export const REC_TYPE_CONT = code('L'); // text without line end, in the content segment
export const REC_TYPE_NORM = code('N'); // one text line
export const REC_TYPE_DTXT = code('w'); // padding
export const REC_TYPE_XTRA = code('X'); // start of the extracted segment
export const REC_TYPE_RRTO = code('r'); // return-receipt (legacy)
export const REC_TYPE_ERTO = code('e'); // errors-to (legacy)
export const REC_TYPE_PRIO = code('P'); // priority (reserved)
export const REC_TYPE_PTR = code('p'); // pointer to another file offset
export const REC_TYPE_VERP = code('V'); // VERP delimiters
export const REC_TYPE_DSN_RET = code('<'); // DSN RET (stored as an A record)
export const REC_TYPE_DSN_ENVID = code('i'); // DSN ENVID (stored as an A record)
export const REC_TYPE_DSN_ORCPT = code('o'); // DSN ORCPT (stored as an A record)
export const REC_TYPE_DSN_NOTIFY = code('n'); // DSN NOTIFY (stored as an A record)
export const REC_TYPE_MILT_COUNT = code('m'); // milter count (cleanup protocol only)
export const REC_TYPE_END = code('E'); // last record

/** Types that may start a recipient run, per segment (the first one ends the segment). */
export const REC_TYPE_ENV_RECIPIENT = 'MDRO/Kon';
export const REC_TYPE_EXT_RECIPIENT = 'EDRO/Kon';

/** Types accepted in each queue file segment; the first one is the segment terminator. */
export const REC_TYPE_ENVELOPE = 'MCTcFILSDRO/WVA>K<ion';
export const REC_TYPE_CONTENT = 'XLNw';
export const REC_TYPE_EXTRACT = 'EDRO/PreAFIL>Kon';

/** What postdrop accepts from sendmail, per segment. */
export const REC_TYPE_POST_ENVELOPE = 'MFSRVAin';
export const REC_TYPE_POST_CONTENT = 'XLN';
export const REC_TYPE_POST_EXTRACT = 'EAR';

/** Width of the in-place updatable payloads (C fields, W, p). */
export const REC_TYPE_SIZE_FIELD_WIDTH = 15;
export const REC_TYPE_PTR_PAYL_SIZE = 15;

/*
 * Names in lookup order. 'L' appears twice (content filter and unterminated text); the
 * first entry wins, as in Postfix, so recTypeName('L') is "content_filter".
 */
const REC_TYPE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [REC_TYPE_EOF, 'end-of-file'],
  [REC_TYPE_ERROR, 'error'],
  [REC_TYPE_SIZE, 'message_size'],
  [REC_TYPE_TIME, 'message_arrival_time'],
  [REC_TYPE_CTIME, 'queue_file_create_time'],
  [REC_TYPE_FULL, 'sender_fullname'],
  [REC_TYPE_INSP, 'content_inspector'],
  [REC_TYPE_FILT, 'content_filter'],
  [REC_TYPE_FROM, 'sender'],
  [REC_TYPE_DONE, 'done_recipient'],
  [REC_TYPE_DRCP, 'canceled_recipient'],
  [REC_TYPE_RCPT, 'recipient'],
  [REC_TYPE_ORCP, 'original_recipient'],
  [REC_TYPE_WARN, 'warning_message_time'],
  [REC_TYPE_ATTR, 'named_attribute'],
  [REC_TYPE_PTR, 'pointer_record'],
  [REC_TYPE_KILL, 'killed_record'],
  [REC_TYPE_MESG, 'message_content'],
  [REC_TYPE_CONT, 'unterminated_text'],
  [REC_TYPE_NORM, 'regular_text'],
  [REC_TYPE_DTXT, 'padding'],
  [REC_TYPE_XTRA, 'extracted_info'],
  [REC_TYPE_RRTO, 'return_receipt'],
  [REC_TYPE_ERTO, 'errors_to'],
  [REC_TYPE_PRIO, 'priority'],
  [REC_TYPE_VERP, 'verp_delimiters'],
  [REC_TYPE_END, 'message_end'],
  [REC_TYPE_RDR, 'redirect_to'],
  [REC_TYPE_FLGS, 'flags'],
  [REC_TYPE_DSN_RET, 'dsn_return_flags'],
  [REC_TYPE_DSN_ENVID, 'dsn_envelope_id'],
  [REC_TYPE_DSN_ORCPT, 'dsn_original_recipient'],
  [REC_TYPE_DSN_NOTIFY, 'dsn_notify_flags'],
];

const NAME_BY_TYPE = new Map<number, string>();
for (const [type, name] of REC_TYPE_NAMES) if (!NAME_BY_TYPE.has(type)) NAME_BY_TYPE.set(type, name);

/** Postfix: rec_type_name(). */
export function recTypeName(type: number): string {
  return NAME_BY_TYPE.get(type) ?? 'unknown_record_type';
}

/** True when the record type (a byte value) is in one of the type sets above. */
export function recTypeIn(set: string, type: number): boolean {
  return type >= 0 && type <= 255 && set.includes(String.fromCharCode(type));
}

/** Postfix: REC_TYPE_SIZE_FORMAT, six right-aligned 15-column numbers. */
export function formatSizeRecord(fields: readonly number[]): string {
  if (fields.length !== 6) throw new RangeError(`size record needs 6 fields, got ${fields.length}`);
  return fields.map(formatFixedWidth).join(' ');
}

/** Postfix: REC_TYPE_WARN_FORMAT and REC_TYPE_PTR_FORMAT, "%15ld". */
export function formatFixedWidth(value: number): string {
  return String(value).padStart(REC_TYPE_SIZE_FIELD_WIDTH, ' ');
}

/** Postfix: REC_TYPE_TIME_FORMAT, "<seconds> <microseconds>". */
export function formatTimeRecord(seconds: number, microseconds: number): string {
  return `${seconds} ${microseconds}`;
}
