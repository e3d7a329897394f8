/*
 * dict_pcre - the "pcre" table type: "/pattern/flags result" rules with Perl-compatible
 * regular expressions, $number substitution, and IF/ENDIF blocks.
 * Counterpart: postfix/src/util/dict_pcre.c built with PCRE2, as Debian builds it. The
 * engine is libpcre2-8 through koffi, not JavaScript's RegExp; the rule-file machinery
 * is shared with regexp: (dict_regexp.ts).
 */
import koffi from 'koffi';
import { msg } from './msg.js';
import { isAlnum, isSpace, startsWithWord } from './stringops.js';
import { Dict, DICT_FLAG_NO_REGSUB, DICT_FLAG_PATTERN, O_RDONLY, dictDebug, dictSurrogate } from './dict.js';
import { dictStreamOpen } from './dict_stream.js';
import {
  type PatternRule, RULE_ENDIF, RULE_IF, RULE_MATCH, delimitedPattern, expandReplacement, findRule, loadRules,
  prescanReplacement, replacementFromFile, skipNegations,
} from './dict_regexp.js';

/* <pcre2.h> */
const PCRE2_CASELESS = 0x00000008;
const PCRE2_DOLLAR_ENDONLY = 0x00000010;
const PCRE2_DOTALL = 0x00000020;
const PCRE2_EXTENDED = 0x00000080;
const PCRE2_MULTILINE = 0x00000400;
const PCRE2_UNGREEDY = 0x00040000;
const PCRE2_ANCHORED = 0x80000000;
const PCRE2_INFO_CAPTURECOUNT = 4;
const PCRE2_ERROR_NOMATCH = -1;
const PCRE2_UNSET = 0xffffffffffffffffn;

interface Pcre2 {
  compile(pattern: Buffer, length: bigint, options: number, error: Int32Array, offset: BigUint64Array, ctx: null): unknown;
  matchDataCreate(code: unknown, ctx: null): unknown;
  match(code: unknown, subject: Buffer, length: bigint, start: bigint, options: number, data: unknown, ctx: null): number;
  ovectorPointer(data: unknown): unknown;
  ovectorCount(data: unknown): number;
  patternInfo(code: unknown, what: number, where: Uint32Array): number;
  errorMessage(code: number, buf: Buffer, len: bigint): number;
  codeFree(code: unknown): void;
  matchDataFree(data: unknown): void;
}

let pcre2: Pcre2 | undefined;

/** libpcre2-8, loaded on first use. */
function lib(): Pcre2 {
  if (pcre2 !== undefined) return pcre2;
  const l = koffi.load('libpcre2-8.so.0');
  pcre2 = {
    compile: l.func('void *pcre2_compile_8(void *pattern, size_t length, uint32_t options, _Out_ int *error, _Out_ size_t *offset, void *ctx)'),
    matchDataCreate: l.func('void *pcre2_match_data_create_from_pattern_8(void *code, void *ctx)'),
    match: l.func('int pcre2_match_8(void *code, void *subject, size_t length, size_t start, uint32_t options, void *data, void *ctx)'),
    ovectorPointer: l.func('void *pcre2_get_ovector_pointer_8(void *data)'),
    ovectorCount: l.func('uint32_t pcre2_get_ovector_count_8(void *data)'),
    patternInfo: l.func('int pcre2_pattern_info_8(void *code, uint32_t what, _Out_ uint32_t *where)'),
    errorMessage: l.func('int pcre2_get_error_message_8(int code, _Out_ uint8_t *buf, size_t len)'),
    codeFree: l.func('void pcre2_code_free_8(void *code)'),
    matchDataFree: l.func('void pcre2_match_data_free_8(void *data)'),
  };
  return pcre2;
}

/** Postfix: dict_pcre_get_error(). */
function errorText(code: number): string {
  const buf = Buffer.alloc(256);
  const len = lib().errorMessage(code, buf, 256n);
  return len > 0 ? buf.subarray(0, len).toString('latin1') : `unexpected pcre2 error code ${code}`;
}

interface PcreEngine {
  code: unknown;
  data: unknown;
}

interface PcrePattern {
  regexp: string;
  options: number;
  match: boolean;
}

/** Postfix: dict_pcre_get_pattern(). */
function getPattern(mapname: string, lineno: number, text: string, from: number): { pat: PcrePattern; next: number } | null {
  const { at, match } = skipNegations(text, from);
  if (at >= text.length) {
    msg.warn(`pcre map ${mapname}, line ${lineno}: no regexp: skipping this rule`);
    return null;
  }
  const found = delimitedPattern(text, at);
  if (found === null) {
    msg.warn(`pcre map ${mapname}, line ${lineno}: no closing regexp delimiter "${text[at]}": ignoring this rule`);
    return null;
  }
  let options = PCRE2_CASELESS | PCRE2_DOTALL;
  let p = found.next;
  for (; p < text.length && !isSpace(text[p]); p++) {
    switch (text[p]) {
      case 'i': options ^= PCRE2_CASELESS; break;
      case 'm': options ^= PCRE2_MULTILINE; break;
      case 's': options ^= PCRE2_DOTALL; break;
      case 'x': options ^= PCRE2_EXTENDED; break;
      case 'A': options = (options ^ PCRE2_ANCHORED) >>> 0; break;
      case 'E': options ^= PCRE2_DOLLAR_ENDONLY; break;
      case 'U': options ^= PCRE2_UNGREEDY; break;
      case 'X':
        msg.warn(`pcre map ${mapname}, line ${lineno}: ignoring obsolete regexp option "${text[p]}"`);
        break;
      default:
        msg.warn(`pcre map ${mapname}, line ${lineno}: unknown regexp option "${text[p]}": skipping this rule`);
        return null;
    }
  }
  return { pat: { regexp: found.pattern, options, match }, next: p };
}

/** Postfix: dict_pcre_compile(). */
function compile(mapname: string, lineno: number, pat: PcrePattern): PcreEngine | null {
  const bytes = Buffer.from(pat.regexp, 'latin1');
  const error = new Int32Array(1);
  const offset = new BigUint64Array(1);
  // PCRE2_ZERO_TERMINATED, with a terminator of our own: the pattern is a C string.
  const code = lib().compile(Buffer.concat([bytes, Buffer.alloc(1)]), PCRE2_UNSET, pat.options >>> 0, error, offset, null);
  if (code === null) {
    msg.warn(`pcre map ${mapname}, line ${lineno}: error in regex at offset ${offset[0]}: ${errorText(error[0]!)}`);
    return null;
  }
  return { code, data: lib().matchDataCreate(code, null) };
}

function freeEngine(engine: PcreEngine | undefined): void {
  if (engine === undefined) return;
  lib().codeFree(engine.code);
  lib().matchDataFree(engine.data);
}

/** Postfix: dict_pcre_parse_rule(). */
function parseRule(dict: Dict, mapname: string, lineno: number, line: string, nesting: number): PatternRule<PcreEngine> | null {
  if (!isAlnum(line[0])) {
    const got = getPattern(mapname, lineno, line, 0);
    if (got === null) return null;
    let p = got.next;
    while (p < line.length && isSpace(line[p])) p++;
    if (p >= line.length) msg.warn(`pcre map ${mapname}, line ${lineno}: no replacement text: using empty string`);
    const replacement = replacementFromFile(dict, 'pcre', mapname, lineno, line.slice(p));
    if (replacement === null) return null;
    const scan = prescanReplacement('pcre', mapname, lineno, replacement, 'out of range');
    if (scan.error) {
      msg.warn(`pcre map ${mapname}, line ${lineno}: bad replacement syntax: skipping this rule`);
      return null;
    }
    if (scan.maxSub > 0 && !got.pat.match) {
      msg.warn(`pcre map ${mapname}, line ${lineno}: $number found in negative match replacement text: skipping this rule`);
      return null;
    }
    if (scan.maxSub > 0 && (dict.flags & DICT_FLAG_NO_REGSUB)) {
      msg.warn(`pcre map ${mapname}, line ${lineno}: regular expression substitution is not allowed: skipping this rule`);
      return null;
    }
    const engine = compile(mapname, lineno, got.pat);
    if (engine === null) return null;
    const count = new Uint32Array(1);
    if (lib().patternInfo(engine.code, PCRE2_INFO_CAPTURECOUNT, count) !== 0) {
      msg.panic(`pcre map ${mapname}, line ${lineno}: pcre2_pattern_info failed`);
    }
    if (scan.maxSub > count[0]!) {
      msg.warn(`pcre map ${mapname}, line ${lineno}: out of range replacement index "${scan.maxSub}": skipping this rule`);
      freeEngine(engine);
      return null;
    }
    return { op: RULE_MATCH, lineno, match: got.pat.match, replacement: scan.literal ?? replacement, maxSub: scan.maxSub, endif: -1, engine };
  }
  if (startsWithWord(line, 'IF')) {
    let p = 2;
    while (p < line.length && isSpace(line[p])) p++;
    const got = getPattern(mapname, lineno, line, p);
    if (got === null) return null;
    p = got.next;
    while (p < line.length && isSpace(line[p])) p++;
    if (p < line.length) {
      msg.warn(`pcre map ${mapname}, line ${lineno}: ignoring extra text after IF statement: "${line.slice(p)}"`);
      msg.warn(`pcre map ${mapname}, line ${lineno}: do not prepend whitespace to statements between IF and ENDIF`);
    }
    const engine = compile(mapname, lineno, got.pat);
    if (engine === null) return null;
    return { op: RULE_IF, lineno, match: got.pat.match, endif: -1, engine };
  }
  if (startsWithWord(line, 'ENDIF')) {
    if (nesting === 0) {
      msg.warn(`pcre map ${mapname}, line ${lineno}: ignoring ENDIF without matching IF`);
      return null;
    }
    let p = 5;
    while (p < line.length && isSpace(line[p])) p++;
    if (p < line.length) msg.warn(`pcre map ${mapname}, line ${lineno}: ignoring extra text after ENDIF`);
    return { op: RULE_ENDIF, lineno, match: true, endif: -1 };
  }
  msg.warn(`pcre map ${mapname}, line ${lineno}: ignoring unrecognized request`);
  return null;
}

class DictPcre extends Dict {
  rules: PatternRule<PcreEngine>[] = [];

  /** Postfix: DICT_PCRE_EXEC(): the rule applies; errors are warned about and do not. */
  private applies(rule: PatternRule<PcreEngine>, subject: Buffer): boolean {
    const { code, data } = rule.engine!;
    const status = lib().match(code, subject, BigInt(subject.length), 0n, 0, data, null);
    if (status > 0) return rule.match;
    if (status === PCRE2_ERROR_NOMATCH) return !rule.match;
    // Zero means that the match data had no room, which cannot happen with ours.
    msg.warn(`pcre map ${this.name}, line ${rule.lineno}: ${errorText(status)}`);
    return false;
  }

  override async lookup(key: string): Promise<string | null> {
    this.error = 0;
    if (msg.verbose) msg.info(`dict_pcre_lookup: ${this.name}: ${key}`);
    const text = this.foldMul(key);
    const subject = Buffer.from(text, 'latin1');
    const rule = findRule(this.rules, (r) => this.applies(r, subject));
    if (rule === null) return null;
    if (rule.maxSub === 0) return rule.replacement!;
    const data = rule.engine!.data;
    const pairs = lib().ovectorCount(data);
    const ovector = koffi.decode(lib().ovectorPointer(data), 'uint64_t', pairs * 2) as (number | bigint)[];
    const expanded = expandReplacement(rule.replacement!, (n) => {
      const start = BigInt(ovector[2 * n]!);
      const end = BigInt(ovector[2 * n + 1]!);
      // Unset groups have both ends PCRE2_UNSET: an empty span.
      return start === PCRE2_UNSET || end <= start ? null : text.slice(Number(start), Number(end));
    });
    if (expanded === null) msg.fatal(`pcre map ${this.name}, line ${rule.lineno}: bad replacement syntax`);
    return expanded;
  }

  override async close(): Promise<void> {
    for (const rule of this.rules) freeEngine(rule.engine);
    this.rules = [];
  }
}

/** Postfix: dict_pcre_open(). */
export async function dictPcreOpen(mapname: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (openFlags !== O_RDONLY) {
    return dictSurrogate('pcre', mapname, openFlags, dictFlags, `pcre:${mapname} map requires O_RDONLY access mode`);
  }
  const source = dictStreamOpen('pcre', mapname);
  if (typeof source === 'string') return dictSurrogate('pcre', mapname, openFlags, dictFlags, source);
  const dict = new DictPcre('pcre', mapname);
  dict.flags = dictFlags | DICT_FLAG_PATTERN;
  dict.owner = { status: source.uid !== 0 ? 1 : 0, uid: source.uid };
  dict.rules = loadRules('pcre', mapname, source.text, source.path,
    (line, lineno, nesting) => parseRule(dict, mapname, lineno, line, nesting));
  return dictDebug(dict);
}
