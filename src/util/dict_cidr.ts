/*
 * dict_cidr - the "cidr" table type: rules "[!]pattern result" and IF/ENDIF blocks,
 * matched in order against an IPv4 or IPv6 address.
 * Counterpart: postfix/src/util/dict_cidr.c; the patterns are cidr_match.ts. The table
 * text comes from a file or inline, "cidr:{{rule}, {rule}}" (dict_stream.ts).
 */
import { msg } from './msg.js';
import { readLogicalLines } from './readlline.js';
import { strerror } from './strerror.js';
import { cString, isSpace, startsWithWord, trimBlanks } from './stringops.js';
import {
  Dict, DICT_FLAG_PATTERN, DICT_FLAG_SRC_RHS_IS_FILE, O_RDONLY, dictDebug, dictSurrogate,
} from './dict.js';
import { dictFileToB64 } from './dict_file.js';
import { dictStreamOpen } from './dict_stream.js';
import { CIDR_MATCH_OP_ENDIF, CIDR_MATCH_OP_IF, cidrMatchEndif, cidrMatchExecute, cidrMatchParse, inetNtop, type CidrMatch } from './cidr_match.js';

interface CidrRule extends CidrMatch {
  value: string;
  lineno: number;
}

class DictCidr extends Dict {
  rules: CidrRule[] = [];

  override async lookup(key: string): Promise<string | null> {
    if (msg.verbose) msg.info(`dict_cidr_lookup: ${this.name}: ${key}`);
    this.error = 0;
    const at = cidrMatchExecute(this.rules, key);
    return at < 0 ? null : this.rules[at]!.value;
  }
}

/** Skip white space and '!' operators; every '!' inverts the match. */
function negations(text: string): { rest: string; match: boolean } {
  let match = true;
  let i = 0;
  for (; i < text.length; i++) {
    if (text[i] === '!') match = !match;
    else if (!isSpace(text[i])) break;
  }
  return { rest: text.slice(i), match };
}

/** Postfix: dict_cidr_parse_rule(). The rule, or why it is skipped. */
function parseRule(dict: Dict, line: string, lineno: number, nesting: number): CidrRule | string {
  let rule: CidrMatch | string;
  let value: string;
  if (startsWithWord(line, 'IF')) {
    const { rest, match } = negations(line.slice(2));
    if (rest === '') return 'no address pattern';
    rule = cidrMatchParse(trimBlanks(rest), match);
    if (typeof rule === 'string') return rule;
    rule.op = CIDR_MATCH_OP_IF;
    value = '';
  } else if (startsWithWord(line, 'ENDIF')) {
    if (trimBlanks(line.slice(5)).replace(/^[ \t\n\r\v\f]+/, '') !== '') return 'garbage after ENDIF';
    if (nesting === 0) return 'ENDIF without IF';
    rule = cidrMatchEndif();
    value = '';
  } else {
    const { rest, match } = negations(line);
    let end = 0;
    while (end < rest.length && !isSpace(rest[end])) end++;
    const pattern = rest.slice(0, end);
    let v = end + 1;
    while (v < rest.length && isSpace(rest[v])) v++;
    value = trimBlanks(rest.slice(v));
    if (pattern === '') return 'no address pattern';
    rule = cidrMatchParse(pattern, match);
    if (typeof rule === 'string') return rule;
    if (value === '') return 'no lookup result';
  }
  if (dict.flags & DICT_FLAG_SRC_RHS_IS_FILE) {
    const b64 = dictFileToB64(dict, value);
    if (b64 === null) return dict.fileError;
    value = b64;
  }
  if (msg.verbose) msg.info(`dict_cidr_open: add ${inetNtop(rule.family, rule.net)}/${rule.maskShift} ${value}`);
  return { ...rule, value, lineno };
}

/** Postfix: dict_cidr_open(). */
export async function dictCidrOpen(mapname: string, openFlags: number, dictFlags: number): Promise<Dict> {
  if (openFlags !== O_RDONLY) {
    return dictSurrogate('cidr', mapname, openFlags, dictFlags, `cidr:${mapname} map requires O_RDONLY access mode`);
  }
  const source = dictStreamOpen('cidr', mapname);
  if (typeof source === 'string') return dictSurrogate('cidr', mapname, openFlags, dictFlags, source);
  const dict = new DictCidr('cidr', mapname);
  dict.flags = dictFlags | DICT_FLAG_PATTERN;
  dict.owner = { status: source.uid !== 0 ? 1 : 0, uid: source.uid };
  const stack: number[] = [];
  for (const { text, lineno } of readLogicalLines(source.text, source.path)) {
    const rule = parseRule(dict, cString(text), lineno, stack.length);
    if (typeof rule === 'string') {
      msg.warn(`cidr map ${mapname}, line ${lineno}: ${rule}: skipping this rule`);
      continue;
    }
    if (rule.op === CIDR_MATCH_OP_IF) {
      stack.push(dict.rules.length);
    } else if (rule.op === CIDR_MATCH_OP_ENDIF) {
      dict.rules[stack.pop()!]!.blockEnd = dict.rules.length;
    }
    dict.rules.push(rule);
  }
  while (stack.length > 0) {
    msg.warn(`cidr map ${mapname}, line ${dict.rules[stack.pop()!]!.lineno}: IF has no matching ENDIF`);
  }
  if (source.readError !== undefined) msg.fatal(`cidr map ${mapname}: read error: ${strerror(source.readError)}`);
  return dictDebug(dict);
}
