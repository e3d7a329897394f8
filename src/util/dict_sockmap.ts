/*
 * dict_sockmap - the "socketmap" table type (Sendmail's socket map protocol): requests
 * "name key" and replies "OK value", "NOTFOUND", "TEMP", "TIMEOUT" or "PERM", each as a
 * netstring, over "inet:host:port" or "unix:path".
 * Counterpart: postfix/src/util/dict_sockmap.c with the client side of auto_clnt.c and
 * netstring.c. Tables with the same server share one connection, opened when first
 * needed and closed after 10 idle seconds or 100 seconds of use.
 */
import type { Socket } from 'node:net';
import { msg } from './msg.js';
import { errnoOf, percentM } from './strerror.js';
import { printable } from './printable.js';
import { CONNECT_ERRNO, inetConnect } from './inet_connect.js';
import { unixConnect } from './unix_connect.js';
import { AsyncVStream, VSTREAM_EOF } from './vstream_async.js';
import { cString, isSpace } from './stringops.js';
import {
  Dict, DICT_ERR_CONFIG, DICT_ERR_RETRY, DICT_FLAG_NO_UNAUTH, DICT_FLAG_PATTERN, O_RDONLY, dictDebug, dictSurrogate,
} from './dict.js';

const DICT_SOCKMAP_TIMEOUT = 100;
const DICT_SOCKMAP_MAX_REPLY = 100000;
const DICT_SOCKMAP_MAX_IDLE = 10;
const DICT_SOCKMAP_MAX_TTL = 100;

const NETSTRING_ERR_EOF = 1;
const NETSTRING_ERR_TIME = 2;
const NETSTRING_ERR_FORMAT = 3;
const NETSTRING_ERR_SIZE = 4;
const ETIMEDOUT = 110;

/** Postfix: netstring_strerror(). */
function netstringStrerror(err: number): string {
  switch (err) {
    case NETSTRING_ERR_EOF: return 'unexpected disconnect';
    case NETSTRING_ERR_TIME: return 'time limit exceeded';
    case NETSTRING_ERR_FORMAT: return 'input format error';
    case NETSTRING_ERR_SIZE: return 'input exceeds size limit';
    default: return 'unknown netstring error';
  }
}

class NetstringError extends Error {
  constructor(readonly code: number) {
    super(netstringStrerror(code));
  }
}

const eofOrTime = (fp: AsyncVStream) => new NetstringError(fp.timedOut ? NETSTRING_ERR_TIME : NETSTRING_ERR_EOF);

/** Postfix: netstring_get(). */
async function netstringGet(fp: AsyncVStream, limit: number): Promise<string> {
  let len = 0;
  for (;;) {
    const ch = await fp.getc();
    if (ch === VSTREAM_EOF) throw eofOrTime(fp);
    if (ch === 0x3a) break;
    if (ch < 0x30 || ch > 0x39) throw new NetstringError(NETSTRING_ERR_FORMAT);
    len = len * 10 + (ch - 0x30);
    if (len > Number.MAX_SAFE_INTEGER / 10) throw new NetstringError(NETSTRING_ERR_SIZE);
  }
  if (limit > 0 && len > limit) throw new NetstringError(NETSTRING_ERR_SIZE);
  let data = '';
  while (data.length < len) {
    const part = await fp.read(len - data.length);
    if (part === '') throw eofOrTime(fp);
    data += part;
  }
  if (await fp.getc() !== 0x2c) throw new NetstringError(NETSTRING_ERR_FORMAT);
  return data;
}

/** Postfix: AUTO_CLNT, the client side: connect on demand, hang up when idle or old. */
class AutoClient {
  private fp: AsyncVStream | null = null;
  private idleTimer: NodeJS.Timeout | undefined;
  private ttlTimer: NodeJS.Timeout | undefined;
  refcount = 1;

  constructor(private readonly transport: string, readonly endpoint: string) {}

  private connect(): Promise<Socket> {
    return this.transport === 'inet' ? inetConnect(this.endpoint, DICT_SOCKMAP_TIMEOUT) : unixConnect(this.endpoint, DICT_SOCKMAP_TIMEOUT);
  }

  /** Postfix: auto_clnt_access(). The stream, or the error after a warning. */
  /** The errno after the last connect; see CONNECT_ERRNO. */
  errno = 0;

  async access(): Promise<AsyncVStream | { errno: number }> {
    if (this.fp === null) {
      try {
        const sock = await this.connect();
        if (msg.verbose) msg.info(`auto_clnt_open: connected to ${this.endpoint}`);
        this.fp = new AsyncVStream(sock, sock, { path: this.endpoint, timeout: DICT_SOCKMAP_TIMEOUT });
        this.ttlTimer = setTimeout(() => this.recover(), DICT_SOCKMAP_MAX_TTL * 1000).unref();
        this.errno = CONNECT_ERRNO;
      } catch (err) {
        const errno = errnoOf(err) ?? 0;
        msg.warn(`connect to ${this.endpoint}: ${percentM(errno)}`);
        return { errno };
      }
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.recover(), DICT_SOCKMAP_MAX_IDLE * 1000).unref();
    return this.fp;
  }

  /** Postfix: auto_clnt_recover(): hang up; the next access connects again. */
  recover(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.ttlTimer);
    this.fp?.destroy();
    this.fp = null;
  }
}

const clients = new Map<string, AutoClient>();

class DictSockmap extends Dict {
  constructor(name: string, private readonly sockmapName: string, private readonly server: string, private readonly client: AutoClient) {
    super('socketmap', name);
  }

  override async lookup(key: string): Promise<string | null> {
    if (msg.verbose) msg.info(`dict_sockmap_lookup: key ${key}`);
    const query = `${this.sockmapName} ${cString(this.foldMul(key))}`;
    let reply: string;
    // A broken connection is retried once, so that a server restart goes unnoticed.
    for (let exceptCount = 0; ; exceptCount++) {
      const fp = await this.client.access();
      this.errno = this.client.errno;
      if (!(fp instanceof AsyncVStream)) {
        this.errno = fp.errno;
        msg.warn(`table ${this.type}:${this.name} lookup error: ${percentM(fp.errno)}`);
        return this.result(DICT_ERR_RETRY, null);
      }
      try {
        fp.write(`${query.length}:${query},`);
        if (!(await fp.flush())) throw eofOrTime(fp);
        reply = await netstringGet(fp, DICT_SOCKMAP_MAX_REPLY);
        break;
      } catch (err) {
        if (!(err instanceof NetstringError)) throw err;
        const errno = fp.timedOut ? ETIMEDOUT : errnoOf(fp.error) ?? 0;
        if (exceptCount === 0 && err.code === NETSTRING_ERR_EOF && errno !== ETIMEDOUT) {
          this.client.recover();
          continue;
        }
        msg.warn(`table ${this.type}:${this.name} lookup error: ${err.message}`);
        return this.result(DICT_ERR_RETRY, null);
      }
    }
    const text = cString(reply);
    const space = text.indexOf(' ');
    const status = space < 0 ? text : text.slice(0, space);
    let payload = space < 0 ? null : text.slice(space + 1);
    if (status === 'OK') return this.result(0, payload);
    if (status === 'NOTFOUND') return this.result(0, null);
    let errorClass = 'unknown';
    this.error = DICT_ERR_RETRY;
    if (status === 'TEMP') errorClass = 'temporary';
    else if (status === 'TIMEOUT') errorClass = 'timeout';
    else if (status === 'PERM') {
      errorClass = 'permanent';
      this.error = DICT_ERR_CONFIG;
    }
    while (payload !== null && isSpace(payload[0])) payload = payload.slice(1);
    const detail = payload ? `: ${printable(payload, '?').slice(0, 200)}` : '';
    msg.warn(`${this.type}:${this.name} socketmap server ${errorClass} error${detail}`);
    return null;
  }

  override async close(): Promise<void> {
    if (--this.client.refcount === 0) {
      this.client.recover();
      clients.delete(this.server);
    }
  }
}

/** Postfix: dict_sockmap_open(). */
export async function dictSockmapOpen(mapname: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (openFlags !== O_RDONLY) {
    return dictSurrogate('socketmap', mapname, openFlags, dictFlags, `socketmap:${mapname} map requires O_RDONLY access mode`);
  }
  if (dictFlags & DICT_FLAG_NO_UNAUTH) {
    return dictSurrogate('socketmap', mapname, openFlags, dictFlags, `socketmap:${mapname} map is not allowed for security-sensitive data`);
  }
  const colon = mapname.lastIndexOf(':');
  if (colon < 0) return dictSurrogate('socketmap', mapname, openFlags, dictFlags, 'socketmap requires server:socketmap argument');
  const server = mapname.slice(0, colon);
  let client = clients.get(server);
  if (client === undefined) {
    const sep = server.indexOf(':');
    const transport = sep < 0 ? '' : server.slice(0, sep);
    const endpoint = sep < 0 ? '' : server.slice(sep + 1);
    if (sep < 0 || transport === '' || endpoint === '') msg.fatal(`need service transport:endpoint instead of "${server}"`);
    if (transport !== 'inet' && transport !== 'unix' && transport !== 'local') {
      msg.fatal(`invalid transport name: ${transport} in service: ${server}`);
    }
    client = new AutoClient(transport, endpoint);
    clients.set(server, client);
  } else {
    client.refcount++;
  }
  const dict = new DictSockmap(mapname, mapname.slice(colon + 1), server, client);
  dict.flags = dictFlags | DICT_FLAG_PATTERN;
  return dictDebug(dict);
}
