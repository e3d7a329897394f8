/*
 * dict_tcp - the "tcp" table type: "get key" requests to a server, one line each way,
 * %XX-quoted; replies "200 value", "500 text" (not found) or "400 text" (try again).
 * Counterpart: postfix/src/util/dict_tcp.c. The connection is opened at the first lookup
 * and kept; a failed exchange is retried once a second, ten times at most.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { msg } from './msg.js';
import { errnoOf, percentM } from './strerror.js';
import { printable } from './printable.js';
import { hexQuote, hexUnquote } from './hex_quote.js';
import { CONNECT_ERRNO, inetConnect } from './inet_connect.js';
import { AsyncVStream, VSTREAM_EOF } from './vstream_async.js';
import { cString, isSpace } from './stringops.js';
import {
  Dict, DICT_ERR_NONE, DICT_ERR_RETRY, DICT_FLAG_NO_UNAUTH, DICT_FLAG_PATTERN, O_RDONLY, dictDebug, dictSurrogate,
} from './dict.js';

const DICT_TCP_MAXTRY = 10;
const DICT_TCP_TMOUT = 100;
const DICT_TCP_MAXLEN = 4096;

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';

/**
 * Postfix: vstring_get_nonl_bound(): a line without its newline; the last character read
 * ('\n' for a complete line), or VSTREAM_EOF when nothing came.
 */
async function getLineBound(fp: AsyncVStream, bound: number): Promise<{ text: string; last: number }> {
  let text = '';
  let c = VSTREAM_EOF;
  while (bound-- > 0 && (c = await fp.getc()) !== VSTREAM_EOF && c !== 0x0a) text += String.fromCharCode(c);
  if (c === 0x0a) return { text, last: c };
  return { text, last: text.length > 0 ? text.charCodeAt(text.length - 1) : VSTREAM_EOF };
}

class DictTcp extends Dict {
  private fp: AsyncVStream | null = null;

  private async connectServer(): Promise<boolean> {
    try {
      const sock = await inetConnect(this.name, DICT_TCP_TMOUT);
      this.fp = new AsyncVStream(sock, sock, { path: this.name, timeout: DICT_TCP_TMOUT });
      this.errno = CONNECT_ERRNO;
      return true;
    } catch (err) {
      this.errno = errnoOf(err) ?? 0;
      msg.warn(`connect to TCP map ${this.name}: ${percentM(this.errno)}`);
      return false;
    }
  }

  private disconnect(): void {
    this.fp?.destroy();
    this.fp = null;
  }

  override async lookup(key: string): Promise<string | null> {
    const myname = 'dict_tcp_lookup';
    if (msg.verbose) msg.info(`${myname}: key ${key}`);
    const query = hexQuote(cString(this.foldMul(key)));
    let reply = '';
    for (let tries = 0; ;) {
      if (this.fp !== null || await this.connectServer()) {
        const fp = this.fp!;
        fp.write(`get ${query}\n`);
        if (msg.verbose) msg.info(`${myname}: send: get ${query}`);
        const got = await getLineBound(fp, DICT_TCP_MAXLEN);
        if (got.last === 0x0a) {
          reply = got.text;
          break;
        }
        // The server cannot talk to us: hang up.
        if (got.last < 0) {
          this.errno = fp.timedOut ? 110 : errnoOf(fp.error) ?? 0;
          msg.warn(`read TCP map reply from ${this.name}: unexpected EOF (${percentM(this.errno)})`);
        } else {
          msg.warn(`read TCP map reply from ${this.name}: text longer than ${DICT_TCP_MAXLEN}`);
        }
        this.disconnect();
      }
      if (++tries >= DICT_TCP_MAXTRY) return this.result(DICT_ERR_RETRY, null);
      await sleep(1000); // not hammering the server
    }
    if (msg.verbose) msg.info(`${myname}: recv: ${reply}`);
    const start = cString(reply);
    const value = isDigit(start[0]) && isDigit(start[1]) && isDigit(start[2]) && isSpace(start[3]) ? hexUnquote(start.slice(4)) : null;
    if (value === null) {
      msg.warn(`read TCP map reply from ${this.name}: malformed reply: ${printable(start, '_').slice(0, 100)}`);
      this.disconnect();
      return this.result(DICT_ERR_RETRY, null);
    }
    switch (start[0]) {
      case '4':
        if (msg.verbose) msg.info(`${myname}: soft error: ${printable(start, '_')}`);
        this.disconnect();
        return this.result(DICT_ERR_RETRY, null);
      case '5':
        if (msg.verbose) msg.info(`${myname}: not found: ${printable(start, '_')}`);
        return this.result(DICT_ERR_NONE, null);
      case '2':
        if (msg.verbose) msg.info(`${myname}: found: ${printable(value, '_')}`);
        return this.result(DICT_ERR_NONE, cString(value));
      default:
        msg.warn(`read TCP map reply from ${this.name}: bad status code: ${printable(start, '_').slice(0, 100)}`);
        this.disconnect();
        return this.result(DICT_ERR_RETRY, null);
    }
  }

  override async close(): Promise<void> {
    this.disconnect();
  }
}

/** Postfix: dict_tcp_open(). The connection is made at the first lookup. */
export async function dictTcpOpen(map: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (dictFlags & DICT_FLAG_NO_UNAUTH) {
    return dictSurrogate('tcp', map, openFlags, dictFlags, `tcp:${map} map is not allowed for security sensitive data`);
  }
  if (openFlags !== O_RDONLY) return dictSurrogate('tcp', map, openFlags, dictFlags, `tcp:${map} map requires O_RDONLY access mode`);
  const dict = new DictTcp('tcp', map);
  dict.flags = dictFlags | DICT_FLAG_PATTERN;
  return dictDebug(dict);
}
