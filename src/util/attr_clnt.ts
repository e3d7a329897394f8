/*
 * attr_clnt - request/reply over an auto_clnt connection: send one attribute list, read
 * one back, and on trouble drop the connection, wait and try again.
 * Counterpart: postfix/src/util/attr_clnt.c. Defaults as in Postfix: plain encoding, no
 * request limit per connection, two tries one second apart; "problem talking to server"
 * is logged on the last failed try, when verbose, or for unexpected errors.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type AttrPrinter, type AttrScanner, type AttrScanResult, type RecvAttr, type SendAttr } from './attr.js';
import { encodeAttrPlain } from './attr_print_plain.js';
import { attrScanPlain } from './attr_scan_plain.js';
import { AutoClnt, type AutoClntHandshake } from './auto_clnt.js';
import { msg } from './msg.js';
import { strerror } from './strerror.js';

export interface AttrClntOptions {
  /** Postfix: ATTR_CLNT_CTL_PROTO. */
  encode?: AttrPrinter;
  scan?: AttrScanner;
  /** Postfix: ATTR_CLNT_CTL_HANDSHAKE, run on each new connection. */
  handshake?: AutoClntHandshake;
  /** Postfix: ATTR_CLNT_CTL_REQ_LIMIT: reconnect after this many requests; 0 = never. */
  requestLimit?: number;
  /** Postfix: ATTR_CLNT_CTL_TRY_LIMIT: tries per request; 0 = no limit. */
  tryLimit?: number;
  /** Postfix: ATTR_CLNT_CTL_TRY_DELAY, seconds. */
  tryDelay?: number;
}

/** Errors that a retry is expected to cure, and that are not worth a warning before the last try. */
const QUIET_ERRORS = new Set(['EPIPE', 'ENOENT', 'ECONNRESET']);

export class AttrClnt {
  private readonly auto: AutoClnt;
  private readonly encode: AttrPrinter;
  private readonly scan: AttrScanner;
  private readonly requestLimit: number;
  private readonly tryLimit: number;
  private readonly tryDelay: number;
  private requestCount = 0;

  /** Postfix: attr_clnt_create() plus attr_clnt_control(). */
  constructor(service: string, timeout: number, maxIdle: number, maxTtl: number, opts: AttrClntOptions = {}) {
    this.auto = new AutoClnt(service, timeout, maxIdle, maxTtl);
    this.auto.handshake = opts.handshake;
    this.encode = opts.encode ?? encodeAttrPlain;
    this.scan = opts.scan ?? attrScanPlain;
    this.requestLimit = opts.requestLimit ?? 0;
    this.tryLimit = opts.tryLimit ?? 2;
    this.tryDelay = opts.tryDelay ?? 1;
    if (this.requestLimit < 0) msg.panic(`attr_clnt_control: bad request limit: ${this.requestLimit}`);
    if (this.tryLimit < 0) msg.panic(`attr_clnt_control: bad retry limit: ${this.tryLimit}`);
    if (this.tryDelay <= 0) msg.panic(`attr_clnt_control: bad retry delay: ${this.tryDelay}`);
  }

  /**
   * Postfix: attr_clnt_request(). Send the list, read the reply; a reply with at least one
   * conversion is success. After the last failed try the count is -1.
   */
  async request<const T extends readonly RecvAttr[]>(sendFlags: number, send: readonly SendAttr[],
    recvFlags: number, wants: T): Promise<AttrScanResult<T>> {
    for (let count = 1; ; count++) {
      let error: NodeJS.ErrnoException | null = null;
      try {
        const stream = await this.auto.access();
        error = this.auto.lastError;
        if (stream !== null) {
          stream.write(this.encode(sendFlags, send));
          if (await stream.flush()) {
            const reply = await this.scan(stream, recvFlags, wants);
            if (reply.count > 0) {
              if (this.requestLimit > 0 && ++this.requestCount >= this.requestLimit) {
                this.auto.recover();
                this.requestCount = 0;
              }
              return reply;
            }
          }
          error = stream.error;
        }
      } finally {
        this.auto.release();
      }
      const last = this.tryLimit > 0 && count >= this.tryLimit;
      if (last || msg.verbose || (error !== null && !QUIET_ERRORS.has(error.code ?? ''))) {
        msg.warn(`problem talking to server ${this.auto.endpoint}: ${strerror(error ?? 0)}`);
      }
      if (last) return { count: -1, values: wants.map(() => undefined) as AttrScanResult<T>['values'] };
      await sleep(this.tryDelay * 1000);
      this.auto.recover();
      this.requestCount = 0;
    }
  }

  /** Postfix: attr_clnt_free(). */
  free(): void {
    this.auto.free();
  }
}
