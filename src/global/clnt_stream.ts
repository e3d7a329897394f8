/*
 * clnt_stream - the persistent client connection to an internal service (rewrite, verify,
 * proxymap): opened on first use with mail_connect_wait(), announcement checked on every
 * new connection, closed after ipc_idle seconds idle or ipc_ttl seconds of age, and
 * reopened at once when the server has gone away.
 * Counterpart: postfix/src/global/clnt_stream.c, on the auto_clnt machinery.
 */
import type { Socket } from 'node:net';
import { AutoClnt, type AutoClntHandshake } from '../util/auto_clnt.js';
import { msg } from '../util/msg.js';
import type { AsyncVStream } from '../util/vstream_async.js';
import { mailConnectWait } from './mail_connect.js';
import { mailPathname } from './mail_proto.js';

export class ClntStream extends AutoClnt {
  /**
   * Postfix: clnt_stream_create(). timeout and ttl (seconds) are usually var_ipc_idle and
   * var_ipc_ttl; the handshake usually checks the protocol announcement.
   */
  constructor(readonly serviceClass: string, readonly service: string, timeout: number, ttl: number,
    handshake?: AutoClntHandshake) {
    super(`local:${mailPathname(serviceClass, service)}`, 0, timeout, ttl);
    this.handshake = handshake;
  }

  protected override async connectStream(): Promise<{ stream: AsyncVStream; socket: Socket }> {
    const stream = await mailConnectWait(this.serviceClass, this.service);
    return { stream, socket: stream.input as Socket };
  }

  protected override logCreate(): void {
    // Postfix's clnt_stream is not built on auto_clnt, and logs nothing here.
  }

  protected override logClose(): void {
    if (msg.verbose) msg.info(`${this.service} stream disconnect`);
  }

  protected override reconnectIfReadable(): boolean {
    return this.idleInput();
  }
}
