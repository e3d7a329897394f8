/*
 * The optional length limit on attribute names and values (tokenLimit): Postfix 3.7.11
 * has the check compiled out, so the limit is ours; its warning uses the text Postfix
 * would print. Without a limit, long values pass as in Postfix.
 */
import test from 'ava';
import { Readable } from 'node:stream';
import { ATTR_FLAG_STRICT, recvAttrStr } from '../../src/util/attr.js';
import { attrScan0 } from '../../src/util/attr_scan0.js';
import { attrScan64 } from '../../src/util/attr_scan64.js';
import { attrScanPlain } from '../../src/util/attr_scan_plain.js';
import { AsyncVStream } from '../../src/util/vstream_async.js';
import { startMsgCapture, stopMsgCapture } from '../helpers/msg_capture.js';

const long = 'x'.repeat(5000);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const INPUTS = {
  '0': [attrScan0, `name\0${long}\0\0`],
  '64': [attrScan64, `${b64('name')}:${b64(long)}\n\n`],
  plain: [attrScanPlain, `name=${long}\n\n`],
} as const;

for (const [encoding, [scan, input]] of Object.entries(INPUTS)) {
  test.serial(`${encoding}: a value over the limit fails the scan`, async (t) => {
    const stream = new AsyncVStream(Readable.from([Buffer.from(input)]), null, { path: 'peer', tokenLimit: 4096 });
    const lines = startMsgCapture('test');
    try {
      t.is((await scan(stream, ATTR_FLAG_STRICT, [recvAttrStr('name')])).count, -1);
    } finally {
      stopMsgCapture();
    }
    t.deepEqual(lines, ['test: warning: string length > 4096 characters from peer while reading input attribute value\n']);
  });

  test.serial(`${encoding}: without a limit the value passes`, async (t) => {
    const stream = new AsyncVStream(Readable.from([Buffer.from(input)]), null, { path: 'peer' });
    const { count, values } = await scan(stream, ATTR_FLAG_STRICT, [recvAttrStr('name')]);
    t.is(count, 1);
    t.is(values[0], long);
  });
}
