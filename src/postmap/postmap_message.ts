/*
 * postmap_message - the keys of "postmap -b/-h [-m] -q -": a message from standard input
 * run through the MIME state machine, its (unfolded) header lines and its body lines each
 * looked up in the tables. Without -m, MIME processing is off: only the primary headers
 * count as headers. With -h alone, reading stops after the primary headers.
 * Counterpart: postmap_queries() with postmap_header(), postmap_body() and
 * postmap_head_end() in postfix/src/postmap/postmap.c.
 */
import { msg } from '../util/msg.js';
import { percentM } from '../util/strerror.js';
import { readAllSync, vstreamOut } from '../util/vstream.js';
import { cString } from '../util/stringops.js';
import { type Dict, O_RDONLY } from '../util/dict.js';
import { dictOpen3 } from '../util/dict_open.js';
import { REC_TYPE_END, REC_TYPE_NORM } from '../global/rec_type.js';
import { MIME_OPT_DISABLE_MIME, MimeState, mimeStateDetail } from '../global/mime_state.js';
import { splitMapName, warnEmptyResult } from '../global/mkmap_tool.js';

export interface MessageKeys {
  headers: boolean;
  body: boolean;
  /** MIME processing (-m): headers of attachments and after boundaries count too. */
  mime: boolean;
}

/** Postfix: postmap_queries() in header/body mode. True when something was found. */
export async function postmapMessageQueries(maps: string[], want: MessageKeys, dictFlags: number): Promise<boolean> {
  const dicts: (Dict | undefined)[] = maps.map(() => undefined);
  let found = false;
  let headerDone = false;

  /* Postfix: postmap_body(); header lines go through here too. Keys are C strings. */
  const lookup = async (text: string): Promise<void> => {
    const key = cString(text);
    for (let n = 0; n < maps.length; n++) {
      const dict = dicts[n] ??= await dictOpen3(...splitMapName(maps[n]!), O_RDONLY, dictFlags);
      const value = await dict.lookup(key);
      if (value !== null) {
        if (cString(value) === '') warnEmptyResult(dict.type, dict.name, key);
        vstreamOut.write(`${key}\t${cString(value)}\n`);
        found = true;
        return;
      }
      if (dict.error) msg.fatal(`table ${dict.type}:${dict.name}: query error: ${percentM(dict.errno)}`);
    }
  };

  const mime = new MimeState(want.mime ? 0 : MIME_OPT_DISABLE_MIME, {
    headOut: want.headers ? (_class, _info, header) => lookup(header) : undefined,
    // With headers only (and no MIME processing), the primary headers are all there is.
    headEnd: want.body || want.mime ? undefined : () => {
      headerDone = true;
    },
    bodyOut: want.body ? (_type, text) => lookup(text) : undefined,
  });

  // Lines as vstring_get_nonl() reads them: a last line without newline counts too.
  const lines = readAllSync(0).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let mimeErrs = 0;
  for (const line of lines) {
    // As in Postfix, the line read after the end of the headers is not looked at.
    if (headerDone || mimeErrs !== 0) break;
    mimeErrs = await mime.update(REC_TYPE_NORM, line);
  }
  if (mimeErrs === 0) mimeErrs = await mime.update(REC_TYPE_END, '');
  if (mimeErrs) msg.fatal(`message format error: ${mimeStateDetail(mimeErrs).text}`);
  mime.free();
  if (found) vstreamOut.flush();
  for (const dict of dicts) await dict?.close();
  return found;
}
