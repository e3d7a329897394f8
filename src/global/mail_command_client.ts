/*
 * mail_command_client - one request to a mail system service over a fresh connection:
 * connect, check the announcement, send one attribute list, read an int "status", close.
 * Counterpart: postfix/src/global/mail_command_client.c (bounce, defer, trace and flush
 * clients use it). Each failing stage logs its own warning and gives -1.
 * XXX Postfix prints %m in these warnings whatever errno was left behind; we print the
 * stream's own error, or "Success" when it has none.
 */
import { ATTR_FLAG_NONE, ATTR_FLAG_STRICT, recvAttrInt, type SendAttr } from '../util/attr.js';
import { attrPrint0 } from '../util/attr_print0.js';
import { attrScan0 } from '../util/attr_scan0.js';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import type { AsyncVStream } from '../util/vstream_async.js';
import { mailConnect } from './mail_connect.js';
import { MAIL_ATTR_STATUS, checkProtocolAnnouncement } from './mail_proto.js';

const why = (stream: AsyncVStream) => strerror(stream.error ?? (stream.timedOut ? 'ETIMEDOUT' : 0));

/** Postfix: mail_command_client(). The server's status, or -1. */
export async function mailCommandClient(serviceClass: string, name: string, proto: string,
  request: readonly SendAttr[]): Promise<number> {
  const { stream, error } = await mailConnect(serviceClass, name);
  if (stream === null) {
    msg.warn(`connect to ${serviceClass}/${name}: ${strerror(error)}`);
    return -1;
  }
  let status = -1;
  if (!(await checkProtocolAnnouncement(stream, proto))) {
    msg.warn(`read ${stream.path}: ${why(stream)}`);
  } else if (attrPrint0(stream, ATTR_FLAG_NONE, request) !== 0) {
    msg.warn(`write ${stream.path}: ${why(stream)}`);
  } else {
    // The request goes out when the reply is read (the stream flushes before it waits).
    const reply = await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrInt(MAIL_ATTR_STATUS)]);
    if (reply.count === 1) status = reply.values[0];
    else msg.warn(`write/read ${stream.path}: ${why(stream)}`);
  }
  await stream.close();
  return status;
}
