/*
 * _mime_messages - awkward messages for the MIME state machine tests (postmap -m and the
 * mime_state driver): nesting, missing and odd boundaries, long and folded headers,
 * 8-bit text, CRLF and NUL bytes.
 */

export const NESTED = [
  'From: a@example.com',
  'Subject: =?UTF-8?B?w6l0w6k=?= and =?ISO-8859-1?Q?caf=E9?=',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; (a comment) boundary="outer \\"quoted\\""',
  '',
  'preamble',
  '--outer "quoted"',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: 7bit',
  '',
  'part one',
  '--outer "quoted"   trailing cruft',
  'Content-Type: message/rfc822',
  '',
  'Subject: the attached message',
  'Content-Type: MULTIPART/Alternative;',
  '\tBOUNDARY=inner',
  '',
  '--inner',
  'Content-Type: text/html',
  '',
  '<p>html</p>',
  '--inner--',
  'inner epilogue',
  '--outer "quoted"',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAwQ=',
  '--outer "quoted"--',
  'epilogue',
  '',
].join('\n');

export const MESSAGES: Record<string, string> = {
  nested: NESTED,
  // The outer boundary ends a part whose inner multipart never closed.
  missingInner: [
    'Content-Type: multipart/mixed; boundary=A', '', '--A', 'Content-Type: multipart/related; boundary=B', '',
    '--B', 'X-Inner: 1', '', 'text', '--A', 'X-After: outer', '', 'body', '--A--', '--B', 'Not-A-Header: after end', '',
  ].join('\n'),
  // No closing boundary at all, and the message ends inside part headers.
  unterminated: ['Content-Type: multipart/mixed; boundary=X', '', '--X', 'Content-Type: text/plain', 'X-Last: header'].join('\n'),
  digest: [
    'Content-Type: multipart/digest; boundary=D', '', '--D', '', 'Subject: digest part one', '', 'one', '--D',
    'Content-Type: text/plain', '', 'Subject: not a header here', '--D--', '',
  ].join('\n'),
  messages: [
    'Content-Type: multipart/mixed; boundary=M', '', '--M', 'Content-Type: message/partial; id=x', '', 'Subject: partial',
    '--M', 'Content-Type: message/external-body', '', 'Subject: external', '--M', 'Content-Type: message/global', '',
    'Subject: global', '', 'x', '--M', 'Content-Type: message/RFC822 (comment)', '', 'garbage first line', 'Subject: no',
    '--M--', '',
  ].join('\n'),
  multipleBoundaries: [
    'Content-Type: multipart/mixed; boundary=one; boundary="two"; boundary=', '', '--two', 'X-Two: yes', '',
    '--one', 'X-One: yes', '', '--', '---', '--one--', '--two--', '',
  ].join('\n'),
  oddContentType: [
    'Content-Type:', 'Content-Type: ;;;', 'Content-Type: multipart', 'Content-Type: multipart/mixed; boundary',
    'Content-Type: multipart/mixed; boundary =', 'Content-Type : multipart/mixed ; boundary = "sp ace"', '',
    '--sp ace', 'Content-Type: text', '', '--sp ace--', '',
  ].join('\n'),
  longBoundary: [
    `Content-Type: multipart/mixed; boundary=${'b'.repeat(40)}`, '', `--${'b'.repeat(25)}`, 'X-Short: matches the cut boundary', '',
    `--${'b'.repeat(40)}`, 'X-Full: also', '', `--${'b'.repeat(40)}--`, '',
  ].join('\n'),
  deep: `${Array.from({ length: 6 }, (_, i) => `Content-Type: multipart/mixed; boundary=L${i}\n\n--L${i}\n`).join('')}X-Deepest: here\n\nbody\n--L0--\n`,
  longHeaders: [
    `Subject: ${'word '.repeat(60)}`, ` ${'folded '.repeat(60)}`, '\tmore', `X-Long: ${'y'.repeat(500)}`,
    'Content-Type: multipart/mixed; boundary=H', '', '--H', `X-Part: ${'z'.repeat(400)}`, ` ${'c'.repeat(100)}`, '', '--H--', '',
  ].join('\n'),
  eightBit: [
    'Subject: caf\xe9', 'X-\xe9: not a header name', 'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Transfer-Encoding: 8bit', '', 'caf\xe9 body', '',
  ].join('\n'),
  crlf: 'Subject: crlf\r\nContent-Type: multipart/mixed; boundary=C\r\n\r\n--C\r\nX-Part: crlf\r\n\r\nbody\r\n--C--\r\n',
  nul: 'Subject: a\0b\nX-Nul\0: x\n\0Starts-With-Nul: y\nContent-Type: multipart/mixed; boundary=N\n\n--N\0\nX-Part: n\n\n--N--\n',
  garbageInPart: [
    'Content-Type: multipart/mixed; boundary=G', '', '--G', 'this is no header', 'X-Not: a header either', '', '--G',
    ' leading space: x', 'X-Header: after', '', '--G--', '',
  ].join('\n'),
  noFinalNewline: 'Content-Type: multipart/mixed; boundary=F\n\n--F\nX-End: no newline',
};


/** Messages for the 8bit-to-7bit downgrade and the error reports. */
export const ENCODING_MESSAGES: Record<string, string> = {
  eightBitText: [
    'Subject: plain', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit', '',
    `caf\xe9 ${'long line '.repeat(12)}= equals`, 'trailing space ', 'trailing tab\t', '\x01control\x7f', '=', '',
  ].join('\n'),
  eightBitParts: [
    'Content-Type: multipart/mixed; boundary=P', 'Content-Transfer-Encoding: 8bit', '', '--P',
    'Content-Type: text/plain', 'Content-Transfer-Encoding: 8bit', '', `\xe9${'x'.repeat(80)}`, '--P',
    'Content-Type: message/rfc822', 'Content-Transfer-Encoding: 8bit', '', 'Subject: \xe9 nested', '', 'nested \xe9', '--P',
    'Content-Type: message/global', 'Content-Transfer-Encoding: 8bit', '', 'Subject: global', '', 'global \xe9', '--P',
    'Content-Type: message/partial', 'Content-Transfer-Encoding: 8bit', '', 'partial \xe9', '--P',
    'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: binary', '', '\xff\xfe', '--P--', '',
  ].join('\n'),
  badDomains: [
    'Content-Type: multipart/mixed; boundary=Q', 'Content-Transfer-Encoding: base64', '', '--Q',
    'Content-Type: message/rfc822', 'Content-Transfer-Encoding: quoted-printable', '', 'Subject: x', '', '--Q',
    'Content-Type: message/external-body', 'Content-Transfer-Encoding: 8bit', '', '--Q--', '',
  ].join('\n'),
  eightBitHeader: 'Subject: caf\xe9\nX-Other: fine\n\nbody \xe9\n',
  unknownEncoding: 'Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\nContent-Transfer-Encoding:\n\n\xe9\n',
  sevenBitBody: 'Content-Type: text/plain\n\nbody with \xe9 in 7bit\n',
  emptyBody: 'Content-Type: text/plain\nContent-Transfer-Encoding: 8bit\n',
};
