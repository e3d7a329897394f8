/*
 * postmap_message - the keys of "postmap -b/-h -q -": a message from standard input cut
 * into (possibly folded) header lines and body lines, each looked up in the tables.
 * Counterpart: postmap_queries() with postmap_header()/postmap_body() in
 * postfix/src/postmap/postmap.c, and the MIME_OPT_DISABLE_MIME path of
 * postfix/src/global/mime_state.c that they run on. XXX MIME processing (-m) needs the
 * full mime_state state machine, which belongs in global/ and is not built yet.
 */
import { msg } from '../util/msg.js';
import { percentM } from '../util/strerror.js';
import { vstreamOut } from '../util/vstream.js';
import { cString } from '../util/stringops.js';
import { type Dict, O_RDONLY } from '../util/dict.js';
import { dictOpen3 } from '../util/dict_open.js';
import { isHeader } from '../global/is_header.js';
import { mailConfInt } from '../global/mail_conf.js';
import { splitMapName, stdinLines, warnEmptyResult } from '../global/mkmap_tool.js';

export interface MessageKeys {
  headers: boolean;
  body: boolean;
}

const isSpaceTab = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** Postfix: postmap_queries() in header/body mode. True when something was found. */
export async function postmapMessageQueries(maps: string[], want: MessageKeys, dictFlags: number): Promise<boolean> {
  const headerLimit = mailConfInt('header_size_limit');
  const dicts: (Dict | undefined)[] = maps.map(() => undefined);
  let found = false;

  /* Postfix: postmap_body(); header lines go through here too. */
  const lookup = async (key: string): Promise<void> => {
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

  let inHeaders = true;
  let header = ''; // the header being collected, its lines joined with newlines
  const flushHeader = async () => {
    if (header !== '' && want.headers) await lookup(header);
    header = '';
  };
  for (const line of stdinLines()) {
    if (inHeaders) {
      if (header !== '' && isSpaceTab(line[0])) {
        // A folded header continues; text past the size limit is dropped.
        if (header.length < headerLimit) header += `\n${line}`;
        continue;
      }
      await flushHeader();
      const labelLength = isHeader(line);
      if (labelLength > 0) {
        // "Name  : value" is taken as "Name: value".
        let rest = labelLength;
        while (isSpaceTab(line[rest])) rest++;
        header = line.slice(0, labelLength) + line.slice(rest);
        continue;
      }
      // The primary header ends: at an empty line, or at text that is no header (then
      // as if an empty line had been there). With only -h, the rest is not read.
      inHeaders = false;
      if (!want.body) break;
      if (line !== '') await lookup('');
    }
    if (want.body) await lookup(line);
  }
  if (inHeaders) await flushHeader();
  if (found) vstreamOut.flush();
  for (const dict of dicts) await dict?.close();
  return found;
}
