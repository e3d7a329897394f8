/*
 * auto_clnt - a client connection that opens itself on first use and closes itself when
 * idle for max_idle seconds, when max_ttl seconds old, or when the server hangs up or
 * sends anything while no request is in progress.
 * Counterpart: postfix/src/util/auto_clnt.c. Endpoints are "unix:path", "local:path" or
 * "inet:host:port". Where C runs no events during a request, Node does: the caller marks
 * a request with access() ... release(), and the timers and the idle-input check only act
 * between requests. An idle connection does not keep the process alive.
 */
import type { Socket } from 'node:net';
import { inetConnect } from './inet_connect.js';
import { msg } from './msg.js';
import { strerror } from './strerror.js';
import { unixConnect } from './unix_connect.js';
import { AsyncVStream } from './vstream_async.js';

/** Postfix: AUTO_CLNT_HANDSHAKE_FN; true when the new connection is good to use. */
export type AutoClntHandshake = (stream: AsyncVStream) => Promise<boolean>;

type Connector = (endpoint: string, timeout: number) => Promise<Socket>;

const CONNECTORS: Record<string, Connector> = { inet: inetConnect, local: unixConnect, unix: unixConnect };

export class AutoClnt {
  /** Postfix: auto_clnt_name(). */
  readonly endpoint: string;
  handshake: AutoClntHandshake | undefined;
  /** Why the last connection attempt failed (for the %m of callers' warnings). */
  lastError: NodeJS.ErrnoException | null = null;
  protected stream: AsyncVStream | null = null;
  private socket: Socket | null = null;
  private busy = false;
  private expired = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private ttlTimer: NodeJS.Timeout | undefined;
  private readonly connector: Connector;

  /** Postfix: auto_clnt_create(). service is transport:endpoint; times are in seconds. */
  constructor(service: string, readonly timeout: number, readonly maxIdle: number, readonly maxTtl: number) {
    const colon = service.indexOf(':');
    const transport = colon < 0 ? '' : service.slice(0, colon);
    this.endpoint = colon < 0 ? '' : service.slice(colon + 1);
    if (colon < 0 || transport === '' || this.endpoint === '') {
      msg.fatal(`need service transport:endpoint instead of "${service}"`);
    }
    this.logCreate(transport);
    const connector = CONNECTORS[transport];
    if (connector === undefined) msg.fatal(`invalid transport name: ${transport} in service: ${service}`);
    this.connector = connector;
  }

  /** The verbose log line of a new client; subclasses that are no auto_clnt in Postfix say nothing. */
  protected logCreate(transport: string): void {
    if (msg.verbose) msg.info(`auto_clnt_create: transport=${transport} endpoint=${this.endpoint}`);
  }

  /** Connect; null after a warning. Subclasses connect differently. */
  protected async connectStream(): Promise<{ stream: AsyncVStream; socket: Socket } | null> {
    try {
      const socket = await this.connector(this.endpoint, this.timeout);
      if (msg.verbose) msg.info(`auto_clnt_open: connected to ${this.endpoint}`);
      return { socket, stream: new AsyncVStream(socket, socket, { path: this.endpoint, timeout: this.timeout }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === undefined) throw err;
      this.lastError = err as NodeJS.ErrnoException;
      msg.warn(`connect to ${this.endpoint}: ${strerror(err)}`);
      return null;
    }
  }

  protected logClose(stream: AsyncVStream): void {
    if (msg.verbose) msg.info(`auto_clnt_close: disconnect ${stream.path} stream`);
  }

  /** Is there input, or an end of input, while no request is in progress? */
  protected idleInput(): boolean {
    return this.stream !== null && (this.stream.buffered > 0 || (this.socket?.readableLength ?? 0) > 0
      || this.socket?.readableEnded === true || this.socket?.destroyed === true);
  }

  private async open(): Promise<void> {
    this.lastError = null;
    const opened = await this.connectStream();
    if (opened === null) return;
    const { stream, socket } = opened;
    this.stream = stream;
    this.socket = socket;
    this.expired = false;
    // Between requests, a readable socket means the server went away (or misbehaves).
    const onIdleEvent = () => {
      if (this.busy || this.stream !== stream) return;
      if (socket.readableLength > 0 || stream.buffered > 0 || socket.destroyed) this.close();
      else socket.read(); // at end of input this makes 'end' fire
    };
    socket.on('readable', onIdleEvent);
    socket.on('end', onIdleEvent);
    socket.on('close', onIdleEvent);
    if (this.maxTtl > 0) {
      this.ttlTimer = setTimeout(() => {
        if (this.busy) this.expired = true;
        else this.close();
      }, this.maxTtl * 1000);
    }
  }

  private close(): void {
    const stream = this.stream;
    if (stream === null) msg.panic('auto_clnt_close: stream is closed');
    this.logClose(stream);
    clearTimeout(this.idleTimer);
    clearTimeout(this.ttlTimer);
    this.idleTimer = this.ttlTimer = undefined;
    this.stream = null;
    this.socket = null;
    stream.destroy();
  }

  /**
   * Postfix: auto_clnt_access(). The stream for one request (connecting, and running the
   * handshake on a new connection, as needed), or null. Call release() when done.
   */
  async access(): Promise<AsyncVStream | null> {
    this.busy = true;
    clearTimeout(this.idleTimer);
    let fresh = false;
    if (this.stream === null || this.reconnectIfReadable()) {
      if (this.stream !== null) this.close();
      await this.open();
      fresh = true;
    }
    const stream = this.stream;
    if (stream === null) return null;
    this.socket?.ref();
    if (fresh && this.handshake !== undefined && !(await this.handshake(stream))) return null;
    return stream;
  }

  /** clnt_stream reconnects at once when the idle stream is readable; auto_clnt does not. */
  protected reconnectIfReadable(): boolean {
    return false;
  }

  /** The request is over: start the idle timer, and let an idle connection not hold the process. */
  release(): void {
    this.busy = false;
    if (this.stream === null) return;
    if (this.expired || this.idleInput()) {
      this.close();
      return;
    }
    if (this.maxIdle > 0) {
      this.idleTimer = setTimeout(() => this.close(), this.maxIdle * 1000);
      this.idleTimer.unref();
    }
    this.ttlTimer?.unref();
    this.socket?.unref();
  }

  /** Postfix: auto_clnt_recover(): drop the connection; the next access() reconnects. */
  recover(): void {
    if (this.stream !== null) this.close();
  }

  /** Postfix: auto_clnt_free(). */
  free(): void {
    this.recover();
  }
}
