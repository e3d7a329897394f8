/*
 * mail_command_server - the server side of mail_command_client(): read the request list,
 * warning about attributes that are missing.
 * Counterpart: postfix/src/global/mail_command_server.c. The caller answers with an int
 * "status" list and closes.
 */
import { ATTR_FLAG_MISSING, type AttrScanResult, type RecvAttr } from '../util/attr.js';
import { attrScan0 } from '../util/attr_scan0.js';
import type { AsyncVStream } from '../util/vstream_async.js';

/** Postfix: mail_command_server(). */
export function mailCommandServer<const T extends readonly RecvAttr[]>(stream: AsyncVStream, wants: T): Promise<AttrScanResult<T>> {
  return attrScan0(stream, ATTR_FLAG_MISSING, wants);
}
