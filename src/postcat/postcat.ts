#!/usr/bin/env node
/*
 * NAME
 *	postcat - show Postfix queue file contents
 * SYNOPSIS
 *	postcat [-bdehoqrv] [-c config_dir] [-s offset] [files...]
 * DESCRIPTION
 *	postcat decodes queue files record by record and prints them in readable form:
 *	the envelope records, the message header and the message body. Without file
 *	names it reads standard input. Options:
 * .IP "-b"
 *	Print the message body, from the first line after the header.
 * .IP "-c config_dir"
 *	Read main.cf from config_dir instead of the default configuration directory.
 * .IP "-d"
 *	Print each record type as a decimal number before the record.
 * .IP "-e"
 *	Print the envelope records: the initial envelope and the extracted segment.
 * .IP "-h"
 *	Print the message header lines. Without -b, -e or -h, postcat prints all three.
 * .IP "-o"
 *	Print each record's file offset before it.
 * .IP "-q"
 *	Take the arguments as queue IDs and look for them in the maildrop, incoming,
 *	active, deferred, hold and saved queues.
 * .IP "-r"
 *	With -v, do not follow pointer records, and read on after the end record.
 * .IP "-s offset"
 *	Start reading at this byte offset (skips the queue file sanity check).
 * .IP "-v"
 *	Verbose: name every record, including pointer and padding records.
 * DIAGNOSTICS
 *	Problems go to standard error. The exit status is non-zero after a fatal error
 *	such as an unreadable file or a malformed record.
 * CONFIGURATION PARAMETERS
 *	config_directory, queue_directory, hash_queue_depth, hash_queue_names,
 *	import_environment.
 * SEE ALSO
 *	postsuper(1), postqueue(1)
 */
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { discardOnExit, vstreamOut } from '../util/vstream.js';
import { asctimeLocal, atol, scanLongs } from '../util/c_conv.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { updateEnv } from '../util/clean_env.js';
import { mailParmSplit } from '../global/mail_parm_split.js';
import { mailConfRead, mailConfStr } from '../global/mail_conf.js';
import {
  MAIL_QUEUE_ACTIVE, MAIL_QUEUE_DEFERRED, MAIL_QUEUE_HOLD, MAIL_QUEUE_INCOMING, MAIL_QUEUE_MAILDROP, MAIL_QUEUE_SAVED,
  chdirQueueDirectory, mailQueueIdOk, mailQueueOpen, queueLayoutFromConfig,
} from '../global/mail_queue.js';
import {
  REC_TYPE_ATTR, REC_TYPE_CONT, REC_TYPE_DTXT, REC_TYPE_END, REC_TYPE_ENVELOPE, REC_TYPE_EOF, REC_TYPE_ERROR,
  REC_TYPE_MESG, REC_TYPE_NORM, REC_TYPE_PTR, REC_TYPE_SIZE, REC_TYPE_TIME, REC_TYPE_WARN, REC_TYPE_XTRA, recTypeName,
} from '../global/rec_type.js';
import { REC_FLAG_DEFAULT, REC_FLAG_NONE, RecordStream, cString, recGetRaw, recGoto } from '../global/record.js';
import { splitNameval } from '../util/split_nameval.js';
import { isHeader } from '../global/is_header.js';

const PC_FLAG_SEARCH_QUEUE = 1 << 0;
const PC_FLAG_PRINT_OFFSET = 1 << 1;
const PC_FLAG_PRINT_ENV = 1 << 2;
const PC_FLAG_PRINT_HEADER = 1 << 3;
const PC_FLAG_PRINT_BODY = 1 << 4;
const PC_FLAG_PRINT_RTYPE_DEC = 1 << 5;
const PC_FLAG_RAW = 1 << 7;
const PC_MASK_PRINT_TEXT = PC_FLAG_PRINT_HEADER | PC_FLAG_PRINT_BODY;
const PC_MASK_PRINT_ALL = PC_FLAG_PRINT_ENV | PC_MASK_PRINT_TEXT;

/* Where in the file we are: envelope (initial or extracted), primary header, or body. */
const PC_STATE_ENV = 0;
const PC_STATE_HEADER = 1;
const PC_STATE_BODY = 2;

/* The queues that -q searches, in this order. */
const SEARCH_QUEUES = [MAIL_QUEUE_MAILDROP, MAIL_QUEUE_INCOMING, MAIL_QUEUE_ACTIVE, MAIL_QUEUE_DEFERRED, MAIL_QUEUE_HOLD, MAIL_QUEUE_SAVED];

const isTextRecord = (type: number) => type === REC_TYPE_CONT || type === REC_TYPE_NORM;
const out = (text: string) => vstreamOut.write(text);

/** "%9lu ": an offset of -1 (unseekable input) prints as the unsigned long it becomes in C. */
function offsetPrefix(offset: number): string {
  return `${BigInt.asUintN(64, BigInt(offset)).toString().padStart(9, ' ')} `;
}

function prefixes(flags: number, offset: number, type: number): string {
  let text = '';
  if (flags & PC_FLAG_PRINT_OFFSET) text += offsetPrefix(offset);
  if (flags & PC_FLAG_PRINT_RTYPE_DEC) text += `${String(type).padStart(3, ' ')} `;
  return text;
}

function printMarker(flags: number, stream: RecordStream, offset: number, type: number, text: string): void {
  out(`${prefixes(flags, offset, type)}*** ${text} ${stream.path} ***\n`);
  vstreamOut.flush();
}

function printRecord(flags: number, offset: number, type: number, value: string): void {
  out(`${prefixes(flags, offset, type)}${recTypeName(type)}: ${value}\n`);
  vstreamOut.flush();
}

/** Postfix: postcat(): print one queue file under the control of the flags. */
function postcat(stream: RecordStream, flags: number, startOffset: number, isStdin = false): void {
  const recFlags = msg.verbose ? REC_FLAG_NONE : REC_FLAG_DEFAULT;
  let prevType = 0;
  let offset = 0;
  let dataOffset = -1;
  let dataSize = -1;
  const seekOrDie = (to: number) => {
    const err = stream.seek(to);
    if (err !== undefined) msg.fatal(`seek error: ${strerror(err)}`);
  };

  if (startOffset > 0) {
    if (isStdin) {
      for (let skipped = 0; skipped < startOffset; skipped++)
        if (stream.getc() === REC_TYPE_EOF) msg.fatal(`${stream.path}: skip ${startOffset} bytes failed after ${skipped}`);
    } else {
      const err = stream.seek(startOffset);
      if (err !== undefined) msg.fatal(`${stream.path}: seek to ${startOffset}: ${strerror(err)}`);
    }
  }

  // A queue file starts with an envelope record (strchr() also finds the null byte).
  if (startOffset === 0) {
    const first = stream.peek();
    if (first !== REC_TYPE_EOF && first !== 0 && !REC_TYPE_ENVELOPE.includes(String.fromCharCode(first))) {
      msg.warn(`${stream.path}: input is not a valid queue file`);
      return;
    }
  }

  if (startOffset === 0 && (flags & PC_FLAG_PRINT_ENV)) out(`*** ENVELOPE RECORDS ${stream.path} ***\n`);
  let state = PC_STATE_ENV;
  let doPrint = flags & PC_FLAG_PRINT_ENV;

  for (;;) {
    if (flags & PC_FLAG_PRINT_OFFSET) offset = stream.tell();
    const record = recGetRaw(stream, 0, recFlags);
    let recType = record.type;
    if (recType === REC_TYPE_ERROR) msg.fatal('record read error');
    if (recType === REC_TYPE_EOF) break;
    const text = cString(record.data);

    // First the records that move the state machine or the read position.
    if (isTextRecord(recType)) {
      // XXX As in Postfix, a message that starts with white space is taken for a header.
      if (state === PC_STATE_HEADER && (flags & PC_MASK_PRINT_TEXT) && prevType !== REC_TYPE_CONT
        && !(isHeader(text) || text[0] === ' ' || text[0] === '\t')) {
        state = PC_STATE_BODY;
        doPrint = flags & PC_FLAG_PRINT_BODY;
        if (doPrint === 0 && (flags & PC_FLAG_PRINT_ENV) === 0) break;
        if (doPrint === 0 && (flags & PC_FLAG_PRINT_ENV) && dataOffset >= 0 && dataSize >= 0) seekOrDie(dataOffset + dataSize);
      }
    } else if (recType === REC_TYPE_MESG) {
      if (state !== PC_STATE_ENV) msg.warn(`${stream.path}: out-of-order message content marker`);
      if (flags & PC_FLAG_PRINT_ENV) printMarker(flags, stream, offset, recType, 'MESSAGE CONTENTS');
      if ((flags & PC_MASK_PRINT_TEXT) === 0 && dataOffset >= 0 && dataSize >= 0) seekOrDie(dataOffset + dataSize);
      state = PC_STATE_HEADER;
      doPrint = flags & PC_FLAG_PRINT_HEADER;
      continue;
    } else if (recType === REC_TYPE_XTRA) {
      if (state !== PC_STATE_HEADER && state !== PC_STATE_BODY) msg.warn(`${stream.path}: out-of-order extracted segment marker`);
      if (doPrint && prevType === REC_TYPE_CONT) out('\n');
      if (flags & PC_FLAG_PRINT_ENV) printMarker(flags, stream, offset, recType, 'HEADER EXTRACTED');
      state = PC_STATE_ENV;
      doPrint = flags & PC_FLAG_PRINT_ENV;
      if (doPrint === 0) break;
      continue;
    } else if (recType === REC_TYPE_END) {
      if (state !== PC_STATE_ENV) msg.warn(`${stream.path}: out-of-order message end marker`);
      if (flags & PC_FLAG_PRINT_ENV) printMarker(flags, stream, offset, recType, 'MESSAGE FILE END');
      if (flags & PC_FLAG_RAW) continue;
      break;
    } else if (recType === REC_TYPE_PTR) {
      // Seen only with -v; otherwise the record reader follows pointers itself.
      if (doPrint) printRecord(flags, offset, recType, text);
      if ((flags & PC_FLAG_RAW) === 0 && recGoto(stream, text) === REC_TYPE_ERROR)
        msg.fatal('bad pointer record, or input is not seekable');
      continue;
    } else if (recType === REC_TYPE_SIZE) {
      if (doPrint) printRecord(flags, offset, recType, text);
      if (dataSize >= 0 || dataOffset >= 0) {
        msg.warn('file contains multiple size records');
      } else {
        const fields = scanLongs(text, 2);
        if (fields.length > 0) dataSize = fields[0]!;
        if (fields.length > 1) dataOffset = fields[1]!;
        if (fields.length !== 2 || dataOffset <= 0 || dataSize <= 0) msg.warn(`invalid size record: ${text.slice(0, 100)}`);
        if ((flags & PC_FLAG_PRINT_ENV) === 0) {
          seekOrDie(dataOffset);
          state = PC_STATE_HEADER;
          doPrint = flags & PC_FLAG_PRINT_HEADER;
        }
      }
      continue;
    }

    // Records without side effects: print them, or not.
    if (doPrint === 0) continue;
    let line = prefixes(flags, offset, recType);
    const raw = record.data.toString('latin1');
    switch (recType) {
      case REC_TYPE_TIME:
      case REC_TYPE_WARN:
        line += `${recTypeName(recType)}: ${asctimeLocal(atol(text))}`;
        break;
      case REC_TYPE_CONT: // also REC_TYPE_FILT, in an envelope segment
        if (state === PC_STATE_ENV) line += `${recTypeName(recType)}: `;
        else if (msg.verbose) line += 'unterminated_text: ';
        line += raw;
        if (state === PC_STATE_ENV || msg.verbose || (flags & PC_FLAG_PRINT_OFFSET) !== 0) {
          recType = 0; // the line is complete, nothing to finish at the extracted marker
          line += '\n';
        }
        break;
      case REC_TYPE_NORM:
        if (msg.verbose) line += `${recTypeName(recType)}: `;
        line += `${raw}\n`;
        break;
      case REC_TYPE_DTXT:
        line += `${recTypeName(recType)}: ${raw}\n`;
        break;
      case REC_TYPE_ATTR: {
        const attr = splitNameval(text);
        if (typeof attr === 'string') {
          out(line);
          line = '';
          msg.warn(`${stream.path}: malformed attribute: ${attr}: ${text.slice(0, 100)}`);
        } else if (attr.name === 'create_time') {
          line += `create_time: ${asctimeLocal(atol(attr.value))}`;
        } else {
          line += `${recTypeName(recType)}: ${attr.name}=${attr.value}\n`;
        }
        break;
      }
      default:
        line += `${recTypeName(recType)}: ${text}\n`;
        break;
    }
    out(line);
    prevType = recType;
    vstreamOut.flush(); // in case the next record is broken
  }
}

function usage(myname: string): never {
  return msg.fatal(`usage: ${myname} [-b (body text)] [-c config_dir] [-d (decimal record type)] `
    + '[-e (envelope records)] [-h (header text)] [-q (access queue)] [-v] [file(s)...]');
}

export function main(argv: string[]): void {
  msgVstreamInit(argv[0]!, 2);
  let flags = 0;
  let startOffset = 0;
  const opts = new Getopt(argv, '+bc:dehoqrs:v');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'b': flags |= PC_FLAG_PRINT_BODY; break;
      case 'c': process.env.MAIL_CONFIG = opts.optarg!; break;
      case 'd': flags |= PC_FLAG_PRINT_RTYPE_DEC; break;
      case 'e': flags |= PC_FLAG_PRINT_ENV; break;
      case 'h': flags |= PC_FLAG_PRINT_HEADER; break;
      case 'o': flags |= PC_FLAG_PRINT_OFFSET; break;
      case 'q': flags |= PC_FLAG_SEARCH_QUEUE; break;
      case 'r': flags |= PC_FLAG_RAW; break;
      case 's':
        if (!/^[0-9]+$/.test(opts.optarg!) || (startOffset = atol(opts.optarg!)) < 0) msg.fatal(`bad offset: ${opts.optarg}`);
        break;
      case 'v': msg.verbose++; break;
      default: usage(argv[0]!);
    }
  }
  if ((flags & PC_MASK_PRINT_ALL) === 0) flags |= PC_MASK_PRINT_ALL;

  mailConfRead();
  updateEnv(mailParmSplit('import_environment', mailConfStr('import_environment')));

  const args = argv.slice(opts.optind);
  if (args.length === 0) {
    postcat(RecordStream.fromFd(0, 'stdin'), flags, startOffset, true);
  } else if (flags & PC_FLAG_SEARCH_QUEUE) {
    chdirQueueDirectory();
    const layout = queueLayoutFromConfig();
    for (const id of args) {
      if (!mailQueueIdOk(id)) msg.fatal(`bad mail queue ID: ${id}`);
      let stream: RecordStream | string = 'ENOENT';
      for (let tries = 0; typeof stream === 'string' && tries < 2; tries++)
        for (const queue of SEARCH_QUEUES) {
          stream = mailQueueOpen('.', layout, queue, id);
          if (typeof stream !== 'string') break;
        }
      if (typeof stream === 'string') msg.fatal(`open queue file ${id}: ${strerror(stream)}`);
      postcat(stream, flags, startOffset);
      if (stream.readError !== undefined) msg.warn(`close ${id}: ${strerror(stream.readError)}`);
    }
  } else {
    for (const path of args) {
      const stream = RecordStream.open(path);
      if (typeof stream === 'string') msg.fatal(`open ${path}: ${strerror(stream)}`);
      postcat(stream, flags, startOffset);
      if (stream.readError !== undefined) msg.warn(`close ${path}: ${strerror(stream.readError)}`);
    }
  }
  // Postfix has no exit-time flush of its standard output stream: what postcat did not
  // flush itself (an envelope marker with nothing after it) is never written.
  discardOnExit();
  process.exit(0);
}

if (isMainModule(import.meta.url)) main(programArgv());
