/*
 * Every attribute list in the reference captures (test/fixtures/protocols, made with the
 * real Postfix 3.7.11): decoded strictly with the attribute types the Postfix programs use
 * for that message, then encoded again from the decoded values, which must give the
 * captured bytes back. Each capture is also fed one byte at a time and in odd chunks.
 */
import test, { type ExecutionContext } from 'ava';
import { Readable } from 'node:stream';
import {
  ATTR_FLAG_MORE, ATTR_FLAG_NONE, ATTR_FLAG_STRICT, recvAttrData, recvAttrFunc, recvAttrHash, recvAttrInt,
  recvAttrLong, recvAttrStr, sendAttrData, sendAttrFunc, sendAttrHash, sendAttrInt, sendAttrLong, sendAttrStr,
  type RecvAttr, type SendAttr,
} from '../../src/util/attr.js';
import { encodeAttr0 } from '../../src/util/attr_print0.js';
import { encodeAttr64 } from '../../src/util/attr_print64.js';
import { encodeAttrPlain } from '../../src/util/attr_print_plain.js';
import { attrScan0, attrScanMore0 } from '../../src/util/attr_scan0.js';
import { attrScan64 } from '../../src/util/attr_scan64.js';
import { attrScanPlain, attrScanMorePlain } from '../../src/util/attr_scan_plain.js';
import { AsyncVStream } from '../../src/util/vstream_async.js';
import { MSG_STATS_SIZE, recvMsgStats, sendMsgStats, msgStatsInit } from '../../src/global/msg_stats.js';
import { TRIGGER_REQ_WAKEUP } from '../../src/global/mail_proto.js';
import { startMsgCapture, stopMsgCapture } from '../helpers/msg_capture.js';
import { parseStraceString, readCapture, readTranscript, type TranscriptLine } from '../helpers/captures.js';

type Encoding = '0' | 'plain';
type Kind = 'i' | 'l' | 's' | 'd';
type Field = [Kind, string];

const CODEC = {
  '0': { scan: attrScan0, encode: encodeAttr0, more: attrScanMore0 },
  plain: { scan: attrScanPlain, encode: encodeAttrPlain, more: attrScanMorePlain },
};
const CHUNKINGS = [0, 1, 7];

const fields = (spec: string): Field[] => spec.split(/\s+/).filter((w) => w !== '').map((w) => [w[0] as Kind, w.slice(2)]);

function recvField([kind, name]: Field): RecvAttr {
  return { i: recvAttrInt, l: recvAttrLong, s: recvAttrStr, d: recvAttrData }[kind](name);
}

function sendField([kind, name]: Field, value: unknown): SendAttr {
  switch (kind) {
    case 'i': return sendAttrInt(name, value as number);
    case 'l': return sendAttrLong(name, value as number);
    case 's': return sendAttrStr(name, value as string);
    case 'd': return sendAttrData(name, value as Buffer);
  }
}

function streamOf(bytes: string, chunk: number): AsyncVStream {
  const buf = Buffer.from(bytes, 'latin1');
  const step = chunk > 0 ? chunk : Math.max(1, buf.length);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += step) parts.push(buf.subarray(i, i + step));
  return new AsyncVStream(Readable.from(parts), null, { path: 'capture' });
}

/** Decode one list with these fields; every one must convert. Returns the list encoded again. */
async function relist(t: ExecutionContext, stream: AsyncVStream, enc: Encoding, spec: string,
  flags = ATTR_FLAG_STRICT): Promise<string> {
  const list = fields(spec);
  const { count, values } = await CODEC[enc].scan(stream, flags, list.map(recvField));
  t.is(count, list.length, `every attribute of [${spec}]`);
  return CODEC[enc].encode(flags & ATTR_FLAG_MORE, list.map((f, n) => sendField(f, (values as unknown[])[n])));
}

/** Decode bytes as a sequence of lists and check that encoding them again gives the same bytes. */
async function sameLists(t: ExecutionContext, bytes: string, enc: Encoding, specs: string[], flags = ATTR_FLAG_STRICT) {
  for (const chunk of CHUNKINGS) {
    const stream = streamOf(bytes, chunk);
    let again = '';
    for (const spec of specs) again += await relist(t, stream, enc, spec, flags);
    t.is(await CODEC[enc].more(stream), -1, 'nothing left over');
    t.is(again, bytes);
  }
}

const S = {
  hello: 's:protocol',
  helloWithId: 's:protocol s:queue_id',
  status: 'i:status',
  dummy: 's:dummy',
  cleanupReply: 'i:status s:reason',
  bounceAppend: 'i:nrequest i:flags s:queue_id s:original_recipient s:recipient l:offset s:dsn_orig_rcpt '
    + 'i:notify_flags s:status s:diag_type s:diag_text s:mta_type s:mta_mname s:action s:reason',
  bounceFlush: 'i:nrequest i:flags s:queue_name s:queue_id s:encoding i:smtputf8 s:sender s:envelope_id i:ret_flags',
  deliverReply: 's:status s:diag_type s:diag_text s:mta_type s:mta_mname s:action s:reason i:status',
  showqMessage: 's:queue_name s:queue_id l:time l:size i:forced_expire s:sender',
  showqRecipient: 's:recipient s:reason',
  milterMacros: 's:conn_macros s:helo_macros s:mail_macros s:rcpt_macros s:data_macros s:eoh_macros s:eod_macros '
    + 's:unk_macros i:size',
  milter: 's:milter_name i:milter_version i:milter_actions i:milter_events i:milter_non_events i:milter_state '
    + 'i:milter_conn_timeout i:milter_cmd_timeout i:milter_msg_timeout s:milter_action i:milter_macro_list',
  policyRequest: 's:request s:protocol_state s:protocol_name s:client_address s:client_name s:client_port '
    + 's:reverse_client_name s:server_address s:server_port s:helo_name s:sender s:recipient i:recipient_count '
    + 's:queue_id s:instance l:size s:etrn_domain s:stress s:sasl_method s:sasl_username s:sasl_sender '
    + 's:ccert_subject s:ccert_issuer s:ccert_fingerprint s:ccert_pubkey_fingerprint s:encryption_protocol '
    + 's:encryption_cipher i:encryption_keysize s:policy_context',
  policyReply: 's:action',
};

/* -------------------------------------------------------------- raw captures */

test('encoding samples: the generator\'s list encodes to the captured bytes', (t) => {
  // The list tools/encoding_sample_generator.c gave the reference library.
  const list = [sendAttrStr('protocol', 'test'), sendAttrInt('number', -1), sendAttrLong('long_number', 1234),
    sendAttrData('data', Buffer.from('whoopee')), sendAttrHash([['k1', 'v1']]), sendAttrStr('empty', '')];
  t.is(encodeAttr0(ATTR_FLAG_NONE, list), readCapture('encoding_sample_nul.bin'));
  t.is(encodeAttr64(ATTR_FLAG_NONE, list), readCapture('encoding_sample_base64.bin'));
  t.is(encodeAttrPlain(ATTR_FLAG_NONE, list), readCapture('encoding_sample_plain.bin'));
});

for (const [file, scan, encode] of [
  ['encoding_sample_nul.bin', attrScan0, encodeAttr0],
  ['encoding_sample_base64.bin', attrScan64, encodeAttr64],
  ['encoding_sample_plain.bin', attrScanPlain, encodeAttrPlain],
] as const) {
  test(`encoding samples: ${file} decodes and encodes back`, async (t) => {
    const bytes = readCapture(file);
    for (const chunk of CHUNKINGS) {
      const wants = [recvAttrStr('protocol'), recvAttrInt('number'), recvAttrLong('long_number'), recvAttrData('data'),
        recvAttrHash(), recvAttrStr('empty')] as const;
      const { count, values: [protocol, number, longNumber, data, table, empty] } = await scan(streamOf(bytes, chunk), ATTR_FLAG_STRICT, wants);
      t.is(count, 6); // five attributes, the group's one entry counted
      t.deepEqual([protocol, number, longNumber, data.toString('latin1'), [...table], empty],
        ['test', -1, 1234, 'whoopee', [['k1', 'v1']], '']);
      t.is(encode(ATTR_FLAG_NONE, [sendAttrStr('protocol', protocol), sendAttrInt('number', number),
        sendAttrLong('long_number', longNumber), sendAttrData('data', data), sendAttrHash(table), sendAttrStr('empty', empty)]), bytes);
    }
  });
}

const SINGLE_FILES: [string, string[]][] = [
  ['bounce_append_to_bounce.bin', [S.bounceAppend]],
  ['bounce_append_to_defer.bin', [S.bounceAppend]],
  ['bounce_flush_qmgr.bin', [S.bounceFlush]],
  ['bounce_trace_flush_qmgr.bin', [S.bounceFlush]],
  ['cleanup_reply_final.bin', [S.cleanupReply]],
  ['cleanup_reply_milter_dummy_status.bin', [S.dummy, S.status]],
  ['deliver_reply_defer_retry_agent.bin', [S.deliverReply]],
  ['deliver_reply_ok_error_agent.bin', [S.deliverReply]],
];

for (const [file, specs] of SINGLE_FILES) {
  test(`capture ${file}`, (t) => sameLists(t, readCapture(file), '0', specs));
}

test('deliver reply: the two "status" attributes keep their order and types', async (t) => {
  const { values } = await attrScan0(streamOf(readCapture('deliver_reply_defer_retry_agent.bin'), 0), ATTR_FLAG_STRICT,
    fields(S.deliverReply).map(recvField));
  t.is(values[0], '');
  t.is(values[7], -1); // 4294967295 on the wire
});

/** The recipient part of a delivery request, as FUNC attributes (Postfix: rcpb_scan/rcpb_print). */
const RCPT = fields('s:original_recipient s:recipient l:offset s:dsn_orig_rcpt i:notify_flags');
const DELIVER_HEAD = fields('i:flags s:queue_name s:queue_id l:offset l:size s:nexthop s:encoding i:smtputf8 s:sender '
  + 's:envelope_id i:ret_flags');
const DELIVER_TAIL = fields('s:log_client_name s:log_client_address s:log_client_port s:log_protocol_name '
  + 's:log_helo_name s:sasl_method s:sasl_username s:sasl_sender s:log_ident s:rewrite_context i:recipient_count');

/** Decode a whole delivery request (with its msg_stats and recipient FUNCs) and encode it again. */
async function relistDeliverRequest(t: ExecutionContext, stream: AsyncVStream): Promise<string> {
  const into = { stats: msgStatsInit() };
  const { count, values } = await attrScan0(stream, ATTR_FLAG_STRICT,
    [...DELIVER_HEAD.map(recvField), recvMsgStats(into), ...DELIVER_TAIL.map(recvField)]);
  t.is(count, DELIVER_HEAD.length + DELIVER_TAIL.length + 1);
  const head = DELIVER_HEAD.map((f, n) => sendField(f, values[n]));
  const tail = DELIVER_TAIL.map((f, n) => sendField(f, values[DELIVER_HEAD.length + 1 + n]));
  let again = encodeAttr0(ATTR_FLAG_NONE, [...head, sendMsgStats(into.stats), ...tail]);
  const rcptCount = values[values.length - 1] as number;
  for (let n = 0; n < rcptCount; n++) {
    let rcptValues: unknown[] = [];
    const r = await attrScan0(stream, ATTR_FLAG_STRICT, [recvAttrFunc(async (scan, s, flags) => {
      const got = await scan(s, flags, RCPT.map(recvField));
      rcptValues = got.values as unknown[];
      return got.count;
    })]);
    t.is(r.count, 1, 'the recipient FUNC counts as one conversion');
    again += encodeAttr0(ATTR_FLAG_NONE, [sendAttrFunc((print, flags) =>
      print(flags, RCPT.map((f, i) => sendField(f, rcptValues[i]))))]);
  }
  return again;
}

test('capture deliver_request_qmgr_to_retry.bin (msg_stats and recipients as FUNC attributes)', async (t) => {
  const bytes = readCapture('deliver_request_qmgr_to_retry.bin');
  for (const chunk of CHUNKINGS) {
    const stream = streamOf(bytes, chunk);
    t.is(await relistDeliverRequest(t, stream), bytes);
    t.is(await attrScanMore0(stream), -1);
  }
});

test.serial('msg_stats: a time attribute of the wrong size is rejected', async (t) => {
  const bytes = encodeAttr0(ATTR_FLAG_NONE, [sendAttrData('time', Buffer.alloc(MSG_STATS_SIZE - 8))]);
  const into = { stats: msgStatsInit() };
  const lines = startMsgCapture('test');
  try {
    const { count } = await attrScan0(streamOf(bytes, 0), ATTR_FLAG_STRICT, [recvMsgStats(into)]);
    t.is(count, -1);
  } finally {
    stopMsgCapture();
  }
  t.deepEqual(lines, [`test: warning: msg_stats_scan: size mis-match: ${MSG_STATS_SIZE - 8} != ${MSG_STATS_SIZE}\n`]);
});

/** A showq stream: hello, then per message its fields, recipients, and an end marker; a final end marker. */
async function relistShowq(t: ExecutionContext, bytes: string, chunk: number): Promise<string> {
  const stream = streamOf(bytes, chunk);
  let again = await relist(t, stream, '0', S.hello);
  let messages = 0;
  while (await attrScanMore0(stream) > 0) {
    again += await relist(t, stream, '0', S.showqMessage, ATTR_FLAG_STRICT | ATTR_FLAG_MORE);
    while (await attrScanMore0(stream) > 0) {
      again += await relist(t, stream, '0', S.showqRecipient, ATTR_FLAG_STRICT | ATTR_FLAG_MORE);
    }
    again += encodeAttr0(ATTR_FLAG_NONE, []);
    messages++;
  }
  t.true(messages > 0);
  t.is(await attrScanMore0(stream), -1);
  return again + encodeAttr0(ATTR_FLAG_NONE, []);
}

for (const file of ['showq_fake_stream.bin', 'showq_real_stream.bin']) {
  test(`capture ${file} (multi-part lists)`, async (t) => {
    const bytes = readCapture(file);
    for (const chunk of CHUNKINGS) t.is(await relistShowq(t, bytes, chunk), bytes);
  });
}

/** Skip one record (type byte, length in 7-bit groups, low group first, then data). */
function afterRecord(bytes: string, pos: number): number {
  let len = 0;
  let shift = 0;
  let p = pos + 1;
  for (;;) {
    const c = bytes.charCodeAt(p++);
    len |= (c & 0x7f) << shift;
    shift += 7;
    if ((c & 0x80) === 0) break;
  }
  return p + len;
}

for (const file of ['cleanup_smtpd_envelope.bin', 'sendmail_bv_pickup_to_cleanup.bin', 'cleanup_bounce_generated_head.bin']) {
  test(`capture ${file}: the flags list in front of the records`, async (t) => {
    const bytes = readCapture(file);
    const stream = streamOf(bytes, 0);
    const again = await relist(t, stream, '0', 'i:flags');
    t.is(bytes.slice(0, again.length), again);
    t.regex(bytes[again.length]!, /[mT]/, 'records follow');
  });
}

test('capture cleanup_smtpd_milter_handoff.bin: lists after the milter count record', async (t) => {
  const bytes = readCapture('cleanup_smtpd_milter_handoff.bin');
  t.is(bytes.slice(0, 3), 'm\x011');
  const lists = bytes.slice(afterRecord(bytes, 0));
  for (const chunk of CHUNKINGS) {
    const stream = streamOf(lists, chunk);
    const again = await relist(t, stream, '0', S.milterMacros, ATTR_FLAG_STRICT | ATTR_FLAG_MORE)
      + await relist(t, stream, '0', S.milter);
    t.is(again, lists);
    t.is(await attrScanMore0(stream), -1);
  }
});

/* ------------------------------------------------------------- transcripts */

/** Request name to [request fields, reply lists] for each service the probe talked to. */
const PROBE: Record<string, Record<string, [string, string[]]>> = {
  rewrite: {
    rewrite: ['s:request s:rule s:address', ['i:flags s:address']],
    resolve: ['s:request s:sender s:address', ['i:flags s:transport s:nexthop s:recipient i:flags']],
    verify: ['s:request s:sender s:address', ['i:flags s:transport s:nexthop s:recipient i:flags']],
    bogus: ['s:request', []],
  },
  anvil: Object.fromEntries([
    ...['message', 'recipient', 'newtls', 'newtls_status', 'auth'].map((r) => [r, ['s:request s:ident', ['i:status i:rate']]]),
    ['connect', ['s:request s:ident', ['i:status i:count i:rate']]],
    ['lookup', ['s:request s:ident', ['i:status i:count i:rate i:mail i:rcpt i:newtls i:auth']]],
    ['disconnect', ['s:request s:ident', [S.status]]],
    ['bogus', ['s:request s:ident', [S.status]]],
  ]) as Record<string, [string, string[]]>,
  proxymap: {
    open: ['s:request s:table i:flags', ['i:status i:flags']],
    lookup: ['s:request s:table i:flags s:key', ['i:status s:value']],
    sequence: ['s:request s:table i:flags i:function', ['i:status s:key s:value']],
    update: ['s:request s:table i:flags s:key s:value', [S.status]],
    bogus: ['s:request', [S.status]],
  },
  verify: {
    query: ['s:request s:address', ['i:status i:recipient_status s:reason']],
    update: ['s:request s:address i:recipient_status s:reason', [S.status]],
    bogus: ['s:request', [S.status]],
  },
  scache: {
    find_dest: ['s:request s:label', ['i:status s:property s:property']],
    find_endp: ['s:request s:label', ['i:status s:property']],
    save_dest: ['s:request i:ttl s:label s:property s:label', [S.status]],
    save_endp: ['s:request i:ttl s:label s:property', [S.dummy]],
    bogus: ['s:request', [S.status]],
  },
  flush: {
    add: ['s:request s:site s:queue_id', [S.status]],
    send_site: ['s:request s:site', [S.status]],
    send_file: ['s:request s:queue_id', [S.status]],
    rfrsh: ['s:request', [S.status]],
    purge: ['s:request', [S.status]],
    bogus: ['s:request', []],
  },
  bounce: { 99: ['i:nrequest', [S.status]] },
  tlsmgr: {
    seed: ['s:request i:size', ['i:status d:seed']],
    policy: ['s:request s:cache_type', ['i:status i:cachable i:timeout']],
    lookup: ['s:request s:cache_type s:cache_id', ['i:status d:session']],
  },
};
PROBE.proxymap2 = PROBE.proxymap!;

/** The value of the first attribute of a list: the request name. */
const firstValue = (bytes: string, enc: Encoding) =>
  enc === '0' ? bytes.split('\0')[1]! : bytes.slice(bytes.indexOf('=') + 1, bytes.indexOf('\n'));

/** Check one transcript chunk: its lists, and, if the peer closed, that nothing follows. */
async function sameChunk(t: ExecutionContext, line: TranscriptLine, enc: Encoding, specs: string[]) {
  if (line.bytes === '') {
    // The server hung up without a word: a scan sees no list at all.
    const { count } = await CODEC[enc].scan(streamOf('', 0), ATTR_FLAG_STRICT, [recvAttrStr('status')]);
    t.is(count, 0);
    t.true(line.eof);
    return;
  }
  await sameLists(t, line.bytes, enc, specs);
}

test('transcript service_probe_transcript.txt: hellos, requests and replies of every service', async (t) => {
  let request = '';
  let checked = 0;
  for (const line of readTranscript('service_probe_transcript.txt')) {
    const [who, what] = line.label as [string, string];
    const service = who.replace(/^(public|private)\//, '');
    const enc: Encoding = service === 'anvil' ? 'plain' : '0';
    if (what === 'HELLO') {
      if (line.bytes === '') continue; // trigger services say nothing
      if (service === 'showq') {
        // The hello and, the queue being empty, the end of the stream right behind it.
        t.is(line.bytes, encodeAttr0(ATTR_FLAG_NONE, [sendAttrStr('protocol', 'mail_queue_list_protocol')]) + '\0');
        const stream = streamOf(line.bytes, 0);
        await relist(t, stream, '0', S.hello);
        t.is(await attrScanMore0(stream), 0);
        t.is(await attrScanMore0(stream), -1);
        t.true(line.eof);
      } else {
        await sameChunk(t, line, enc, [service === 'cleanup' ? S.helloWithId : S.hello]);
      }
    } else if (what === 'SEND') {
      if (service === 'flush' && line.bytes === `${TRIGGER_REQ_WAKEUP}\0`) continue; // master's wake-up, no list
      request = firstValue(line.bytes, enc);
      const entry = PROBE[service]?.[request];
      t.truthy(entry, `${service} ${request} has a schema`);
      await sameChunk(t, line, enc, [entry![0]]);
    } else if (what === 'RECV') {
      const entry = PROBE[service]?.[request];
      await sameChunk(t, line, enc, entry?.[1] ?? [S.status]);
    } else {
      continue;
    }
    checked++;
  }
  t.true(checked > 100, `${checked} chunks checked`);
});

test('transcript scache_fd_passing_transcript.txt', async (t) => {
  let request = '';
  for (const line of readTranscript('scache_fd_passing_transcript.txt')) {
    const [what] = line.label as [string];
    const name = line.bytes.split('\0')[0];
    if (name === 'dummy') await sameLists(t, line.bytes, '0', [S.dummy]);
    else if (what === 'HELLO') await sameLists(t, line.bytes, '0', [S.hello]);
    else if (what === 'SEND') {
      request = firstValue(line.bytes, '0');
      await sameLists(t, line.bytes, '0', [PROBE.scache![request]![0]]);
    } else if (what === 'RECV') {
      await sameLists(t, line.bytes, '0', request === 'save_endp' ? [S.status] : PROBE.scache![request]![1]);
    }
  }
});

test('transcript deliver_request_fake_agent_transcript.txt: qmgr requests and agent replies', async (t) => {
  let requests = 0;
  for (const line of readTranscript('deliver_request_fake_agent_transcript.txt')) {
    const [what] = line.label as [string];
    if (what === 'send') {
      await sameLists(t, line.bytes, '0', [line.bytes.startsWith('protocol\0') ? S.hello : S.deliverReply]);
    } else if (what === 'recv') {
      for (const chunk of CHUNKINGS) {
        const stream = streamOf(line.bytes, chunk);
        t.is(await relistDeliverRequest(t, stream), line.bytes);
        t.is(await attrScanMore0(stream), -1);
      }
      requests++;
    }
  }
  t.is(requests, 5);
});

test('transcript flush_postqueue_s_i_transcript.txt', async (t) => {
  for (const line of readTranscript('flush_postqueue_s_i_transcript.txt')) {
    const [what] = line.label as [string];
    if (what === 'send') await sameLists(t, line.bytes, '0', [line.bytes.startsWith('protocol\0') ? S.hello : S.status]);
    if (what === 'recv') await sameLists(t, line.bytes, '0', [PROBE.flush![firstValue(line.bytes, '0')]![0]]);
  }
});

test('transcript policy_smtpd_transcript.txt (plain encoding)', async (t) => {
  let lists = 0;
  for (const line of readTranscript('policy_smtpd_transcript.txt')) {
    const [what] = line.label as [string];
    if (what === 'recv') await sameLists(t, line.bytes, 'plain', [S.policyRequest]);
    else if (what === 'send') await sameLists(t, line.bytes, 'plain', [S.policyReply]);
    else continue;
    lists++;
  }
  t.is(lists, 4);
});

test('transcript postdrop_sendmail_transcript.txt: postdrop hello and status', async (t) => {
  const writes = readCapture('postdrop_sendmail_transcript.txt').split('\n')
    .map((l) => /^write\(1, (".*"), \d+/.exec(l)?.[1]).filter((s): s is string => s !== undefined).map(parseStraceString);
  t.is(writes.length, 2);
  await sameLists(t, writes[0]!, '0', [S.helloWithId]);
  await sameLists(t, writes[1]!, '0', [S.cleanupReply]);
});
