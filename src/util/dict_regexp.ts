/*
 * dict_regexp - the "regexp" table type: "/pattern/flags result" rules with POSIX
 * extended regular expressions, $number substitution, and IF/ENDIF blocks.
 * Counterpart: postfix/src/util/dict_regexp.c. The engine is the C library's regcomp()
 * and regexec() (regex_posix.ts), not JavaScript's RegExp. The rule-file machinery that
 * pcre: shares (replacement pre-scan and expansion, IF/ENDIF nesting, the lookup walk)
 * is exported from here for dict_pcre.ts.
 */
import { msg } from './msg.js';
import { MAC_PARSE_ERROR, MAC_PARSE_EXPR, MAC_PARSE_LITERAL, macParse } from './mac_expand.js';
import { readLogicalLines } from './readlline.js';
import { allDigits, cString, isAlnum, isSpace, startsWithWord, trimBlanks } from './stringops.js';
import { REG_EXTENDED, REG_ICASE, REG_NEWLINE, REG_NOSUB } from './sys_libc.js';
import { Dict, DICT_FLAG_NO_REGSUB, DICT_FLAG_PATTERN, DICT_FLAG_SRC_RHS_IS_FILE, O_RDONLY, dictDebug, dictSurrogate } from './dict.js';
import { dictFileToB64 } from './dict_file.js';
import { dictStreamOpen } from './dict_stream.js';
import { PosixRegex } from './regex_posix.js';

const MAC_PARSE_UNDEF = 1 << 1;

export const RULE_MATCH = 1;
export const RULE_IF = 2;
export const RULE_ENDIF = 3;

/** A rule of a pattern table; T is what the engine needs to match. */
export interface PatternRule<T> {
  op: number;
  lineno: number;
  engine?: T;
  match: boolean;
  replacement?: string;
  maxSub?: number;
  /** For IF: index of the matching ENDIF, or -1. */
  endif: number;
}

/** Pre-scan of the replacement text: the largest $number, and the text when it has none. */
export interface Prescan {
  maxSub: number;
  literal: string | undefined;
  error: boolean;
}

/**
 * Postfix: dict_regexp_prescan() / dict_pcre_prescan(). $$ is already $ in the literal.
 * outOfRange is the wording of the "$0" complaint, which differs between the two types.
 */
export function prescanReplacement(kind: string, mapname: string, lineno: number, text: string, outOfRange: string): Prescan {
  const ctx: Prescan = { maxSub: 0, literal: undefined, error: false };
  const status = macParse(text, (type, buf) => {
    if (type === MAC_PARSE_EXPR) {
      ctx.literal = undefined;
      if (!allDigits(buf)) {
        msg.warn(`${kind} map ${mapname}, line ${lineno}: non-numeric replacement index "${buf}"`);
        return MAC_PARSE_ERROR;
      }
      const n = Number(buf);
      if (n < 1) {
        msg.warn(`${kind} map ${mapname}, line ${lineno}: ${outOfRange} replacement index "${buf}"`);
        return MAC_PARSE_ERROR;
      }
      if (n > ctx.maxSub) ctx.maxSub = n;
    } else if (type === MAC_PARSE_LITERAL && ctx.maxSub === 0) {
      if (ctx.literal !== undefined) msg.panic(`${kind} map ${mapname}, line ${lineno}: multiple literals but no $number`);
      ctx.literal = buf;
    }
    return 0;
  });
  ctx.error = (status & MAC_PARSE_ERROR) !== 0;
  return ctx;
}

/**
 * Replace $number in the replacement with the matched text. group(n) gives the text, or
 * null when group n matched nothing or did not take part (then nothing is inserted).
 */
export function expandReplacement(replacement: string, group: (n: number) => string | null): string | null {
  let out = '';
  const status = macParse(replacement, (type, buf) => {
    if (type === MAC_PARSE_EXPR) {
      const text = group(Number(buf));
      if (text === null || text === '') return MAC_PARSE_UNDEF;
      out += text;
    } else {
      out += buf;
    }
    return 0;
  });
  return status & MAC_PARSE_ERROR ? null : out;
}

/**
 * Read rules with IF/ENDIF nesting: parse(line, lineno, nesting) returns a rule or null
 * (already warned about). IFs without ENDIF are reported at the end.
 */
export function loadRules<T>(kind: string, mapname: string, text: string, path: string,
  parse: (line: string, lineno: number, nesting: number) => PatternRule<T> | null): PatternRule<T>[] {
  const rules: PatternRule<T>[] = [];
  const stack: number[] = [];
  for (const { text: raw, lineno } of readLogicalLines(text, path)) {
    const line = trimBlanks(cString(raw));
    if (line === '') continue;
    const rule = parse(line, lineno, stack.length);
    if (rule === null) continue;
    if (rule.op === RULE_IF) stack.push(rules.length);
    else if (rule.op === RULE_ENDIF) rules[stack.pop()!]!.endif = rules.length;
    rules.push(rule);
  }
  while (stack.length > 0) msg.warn(`${kind} map ${mapname}, line ${rules[stack.pop()!]!.lineno}: IF has no matching ENDIF`);
  return rules;
}

/**
 * Walk the rules: test(rule) says whether a MATCH or IF rule applies (negation already
 * taken into account); the first MATCH rule that applies is the answer.
 */
export function findRule<T>(rules: readonly PatternRule<T>[], test: (rule: PatternRule<T>) => boolean): PatternRule<T> | null {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.op === RULE_MATCH) {
      if (test(rule)) return rule;
    } else if (rule.op === RULE_IF) {
      if (test(rule)) continue;
      if (rule.endif < 0) return null;
      i = rule.endif;
    }
  }
  return null;
}

/** Skip white space and '!' operators; every '!' inverts the match. */
export function skipNegations(text: string, from: number): { at: number; match: boolean } {
  let match = true;
  let at = from;
  for (; at < text.length; at++) {
    if (text[at] === '!') match = !match;
    else if (!isSpace(text[at])) break;
  }
  return { at, match };
}

/** The delimited pattern at text[from], and where its option letters start; or null. */
export function delimitedPattern(text: string, from: number): { pattern: string; next: number } | null {
  const delim = text[from];
  let p = from + 1;
  while (p < text.length) {
    if (text[p] === '\\') {
      if (p + 1 >= text.length) break;
      p++;
    } else if (text[p] === delim) {
      return { pattern: text.slice(from + 1, p), next: p + 1 };
    }
    p++;
  }
  return null;
}

/** Replacement text with -F: the named files, base64-encoded; null after a warning. */
export function replacementFromFile(dict: Dict, kind: string, mapname: string, lineno: number, text: string): string | null {
  if ((dict.flags & DICT_FLAG_SRC_RHS_IS_FILE) === 0) return text;
  const b64 = dictFileToB64(dict, text);
  if (b64 === null) msg.warn(`${kind} map ${mapname}, line ${lineno}: ${dict.fileError}: skipping this rule`);
  return b64;
}

interface RegexpPattern {
  regexp: string;
  options: number;
  match: boolean;
}

interface RegexpEngine {
  first: PosixRegex;
  second?: PosixRegex;
  secondMatch: boolean;
}

/** Postfix: dict_regexp_get_pat(). */
function getPattern(mapname: string, lineno: number, text: string, from: number): { pat: RegexpPattern; next: number } | null {
  const { at, match } = skipNegations(text, from);
  if (at >= text.length) {
    msg.warn(`regexp map ${mapname}, line ${lineno}: no regexp: skipping this rule`);
    return null;
  }
  const found = delimitedPattern(text, at);
  if (found === null) {
    msg.warn(`regexp map ${mapname}, line ${lineno}: no closing regexp delimiter "${text[at]}": skipping this rule`);
    return null;
  }
  let options = REG_EXTENDED | REG_ICASE;
  let p = found.next;
  for (; p < text.length && !isSpace(text[p]) && text[p] !== '!'; p++) {
    switch (text[p]) {
      case 'i': options ^= REG_ICASE; break;
      case 'm': options ^= REG_NEWLINE; break;
      case 'x': options ^= REG_EXTENDED; break;
      default:
        msg.warn(`regexp map ${mapname}, line ${lineno}: unknown regexp option "${text[p]}": skipping this rule`);
        return null;
    }
  }
  return { pat: { regexp: found.pattern, options, match }, next: p };
}

/** Postfix: dict_regexp_compile_pat(). */
function compile(mapname: string, lineno: number, pat: RegexpPattern): PosixRegex | null {
  const expr = PosixRegex.compile(pat.regexp, pat.options);
  if (typeof expr === 'string') {
    msg.warn(`regexp map ${mapname}, line ${lineno}: ${expr}`);
    return null;
  }
  return expr;
}

/** Postfix: dict_regexp_parseline(). */
function parseLine(dict: Dict, mapname: string, lineno: number, line: string, nesting: number): PatternRule<RegexpEngine> | null {
  if (!isAlnum(line[0])) {
    const first = getPattern(mapname, lineno, line, 0);
    if (first === null) return null;
    let next = first.next;
    let second: RegexpPattern | undefined;
    if (line[next] === '!') {
      const got = getPattern(mapname, lineno, line, next);
      if (got === null) return null;
      second = got.pat;
      next = got.next;
    }
    while (next < line.length && isSpace(line[next])) next++;
    if (next >= line.length) msg.warn(`regexp map ${mapname}, line ${lineno}: no replacement text: using empty string`);
    const replacement = replacementFromFile(dict, 'regexp', mapname, lineno, line.slice(next));
    if (replacement === null) return null;
    const scan = prescanReplacement('regexp', mapname, lineno, replacement, 'out-of-range');
    if (scan.error) {
      msg.warn(`regexp map ${mapname}, line ${lineno}: bad replacement syntax: skipping this rule`);
      return null;
    }
    if (scan.maxSub === 0) first.pat.options |= REG_NOSUB;
    if (scan.maxSub > 0 && !first.pat.match) {
      msg.warn(`regexp map ${mapname}, line ${lineno}: $number found in negative match replacement text: skipping this rule`);
      return null;
    }
    if (scan.maxSub > 0 && (dict.flags & DICT_FLAG_NO_REGSUB)) {
      msg.warn(`regexp map ${mapname}, line ${lineno}: regular expression substitution is not allowed: skipping this rule`);
      return null;
    }
    const firstExpr = compile(mapname, lineno, first.pat);
    if (firstExpr === null) return null;
    if (scan.maxSub > firstExpr.nsub) {
      msg.warn(`regexp map ${mapname}, line ${lineno}: out of range replacement index "${scan.maxSub}": skipping this rule`);
      firstExpr.free();
      return null;
    }
    let secondExpr: PosixRegex | undefined;
    if (second !== undefined) {
      second.options |= REG_NOSUB;
      const expr = compile(mapname, lineno, second);
      if (expr === null) {
        firstExpr.free();
        return null;
      }
      secondExpr = expr;
    }
    return {
      op: RULE_MATCH, lineno, match: first.pat.match, replacement: scan.literal ?? replacement, maxSub: scan.maxSub, endif: -1,
      engine: { first: firstExpr, ...(secondExpr ? { second: secondExpr } : {}), secondMatch: second?.match ?? true },
    };
  }
  if (startsWithWord(line, 'IF')) {
    let p = 2;
    while (p < line.length && isSpace(line[p])) p++;
    const got = getPattern(mapname, lineno, line, p);
    if (got === null) return null;
    p = got.next;
    while (p < line.length && isSpace(line[p])) p++;
    if (p < line.length) {
      msg.warn(`regexp map ${mapname}, line ${lineno}: ignoring extra text after IF statement: "${line.slice(p)}"`);
      msg.warn(`regexp map ${mapname}, line ${lineno}: do not prepend whitespace to statements between IF and ENDIF`);
    }
    const expr = compile(mapname, lineno, got.pat);
    if (expr === null) return null;
    return { op: RULE_IF, lineno, match: got.pat.match, endif: -1, engine: { first: expr, secondMatch: true } };
  }
  if (startsWithWord(line, 'ENDIF')) {
    if (nesting === 0) {
      msg.warn(`regexp map ${mapname}, line ${lineno}: ignoring ENDIF without matching IF`);
      return null;
    }
    let p = 5;
    while (p < line.length && isSpace(line[p])) p++;
    if (p < line.length) msg.warn(`regexp map ${mapname}, line ${lineno}: ignoring extra text after ENDIF`);
    return { op: RULE_ENDIF, lineno, match: true, endif: -1 };
  }
  msg.warn(`regexp map ${mapname}, line ${lineno}: ignoring unrecognized request`);
  return null;
}

class DictRegexp extends Dict {
  rules: PatternRule<RegexpEngine>[] = [];

  /** Postfix: DICT_REGEXP_REGEXEC(): the rule applies; errors are warned about and do not. */
  private applies(rule: PatternRule<RegexpEngine>, expr: PosixRegex, match: boolean, key: string, nmatch: number): [number, number][] | null {
    const result = expr.exec(key, nmatch);
    if (result === null) return match ? null : [];
    if ('error' in result) {
      msg.warn(`regexp map ${this.name}, line ${rule.lineno}: ${result.error}`);
      return null;
    }
    return match ? result : null;
  }

  override async lookup(key: string): Promise<string | null> {
    this.error = 0;
    if (msg.verbose) msg.info(`dict_regexp_lookup: ${this.name}: ${key}`);
    const subject = this.foldMul(key);
    let groups: [number, number][] = [];
    const rule = findRule(this.rules, (r) => {
      const engine = r.engine!;
      if (r.op === RULE_IF) return this.applies(r, engine.first, r.match, subject, 0) !== null;
      const maxSub = r.maxSub!;
      const first = this.applies(r, engine.first, r.match, subject, maxSub > 0 ? maxSub + 1 : 0);
      if (first === null) return false;
      if (engine.second && this.applies(r, engine.second, engine.secondMatch, subject, 0) === null) return false;
      groups = first;
      return true;
    });
    if (rule === null) return null;
    if (rule.maxSub === 0) return rule.replacement!;
    const expanded = expandReplacement(rule.replacement!, (n) => {
      const [so, eo] = groups[n]!;
      return so < 0 || so === eo ? null : subject.slice(so, eo);
    });
    if (expanded === null) msg.panic(`regexp map ${this.name}, line ${rule.lineno}: bad replacement syntax`);
    return expanded;
  }

  override async close(): Promise<void> {
    for (const rule of this.rules) {
      rule.engine?.first.free();
      rule.engine?.second?.free();
    }
    this.rules = [];
  }
}

/** Postfix: dict_regexp_open(). */
export async function dictRegexpOpen(mapname: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (openFlags !== O_RDONLY) {
    return dictSurrogate('regexp', mapname, openFlags, dictFlags, `regexp:${mapname} map requires O_RDONLY access mode`);
  }
  const source = dictStreamOpen('regexp', mapname);
  if (typeof source === 'string') return dictSurrogate('regexp', mapname, openFlags, dictFlags, source);
  const dict = new DictRegexp('regexp', mapname);
  dict.flags = dictFlags | DICT_FLAG_PATTERN;
  dict.owner = { status: source.uid !== 0 ? 1 : 0, uid: source.uid };
  dict.rules = loadRules('regexp', mapname, source.text, source.path,
    (line, lineno, nesting) => parseLine(dict, mapname, lineno, line, nesting));
  return dictDebug(dict);
}
