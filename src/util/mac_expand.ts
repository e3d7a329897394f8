/*
 * mac_expand - $name, ${name}, $(name) expansion with the conditional and relational forms.
 * Counterpart: postfix/src/util/mac_parse.c and mac_expand.c. Supports ${name?text},
 * ${name:text}, ${name?{a}:{b}}, ${{left} op {right}?{a}:{b}} with == != < <= >= > and
 * operator suffixes registered by callers (compat_level's "<level" and friends).
 * Values are byte strings. Parse errors are reported with msg.warn, as in Postfix.
 */
import { msg } from './msg.js';
import { printable } from './printable.js';

export const MAC_PARSE_LITERAL = 1;
export const MAC_PARSE_EXPR = 2;

export const MAC_PARSE_ERROR = 1 << 0;
export const MAC_PARSE_UNDEF = 1 << 1;

export const MAC_EXP_FLAG_NONE = 0;
export const MAC_EXP_FLAG_RECURSE = 1 << 0;
export const MAC_EXP_FLAG_APPEND = 1 << 1;
export const MAC_EXP_FLAG_SCAN = 1 << 2;
export const MAC_EXP_FLAG_PRINTABLE = 1 << 3;

export const MAC_EXP_MODE_TEST = 0;
export const MAC_EXP_MODE_USE = 1;

/** Returns the value of a name, or undefined when it has none. */
export type MacLookup = (name: string, mode: number) => string | undefined;

export type RelopResult = 'true' | 'false' | 'error';
export type RelopEval = (left: string, op: string, right: string) => RelopResult;

const WHITESPACE = ' \t\r\n';
const OPERATORS = ['==', '!=', '<', '<=', '>=', '>'];
const OPERATOR_CHARS = '<>!=?+-*/~&|%';
const ANY_OPERATOR_TEXT = '"==" or "!="" or "<"" or "<="" or ">="" or ">"';
const extensionOperators = new Map<string, RelopEval>();

function isAlnum(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
const isDigits = (s: string) => /^[0-9]+$/.test(s);

function spanOf(text: string, pos: number, chars: string): number {
  let end = pos;
  while (end < text.length && chars.includes(text[end]!)) end++;
  return end - pos;
}

/** Postfix: mac_parse(). Splits text into literals and $-expressions for the callback. */
export function macParse(value: string, action: (type: number, text: string) => number): number {
  let status = 0;
  let buf = '';
  let vp = 0;
  while (vp < value.length) {
    if (value[vp] !== '$') {
      buf += value[vp++];
    } else if (value[vp + 1] === '$') {
      buf += '$';
      vp += 2;
    } else {
      if (buf.length > 0) {
        status |= action(MAC_PARSE_LITERAL, buf);
        buf = '';
      }
      vp += 1;
      const open = value[vp];
      if (open === '(' || open === '{') {
        const close = open === '(' ? ')' : '}';
        let level = 1;
        let ep = vp + 1;
        for (; level > 0; ep++) {
          if (ep >= value.length) {
            msg.warn(`truncated macro reference: "${value}"`);
            status |= MAC_PARSE_ERROR;
            break;
          }
          if (value[ep] === open) level++;
          if (value[ep] === close) level--;
        }
        if (status & MAC_PARSE_ERROR) break;
        buf += value.slice(vp + 1, ep - 1);
        vp = ep;
      } else {
        let ep = vp;
        while (ep < value.length && (isAlnum(value[ep]) || value[ep] === '_')) ep++;
        buf += value.slice(vp, ep);
        vp = ep;
      }
      if (buf.length === 0) {
        status |= MAC_PARSE_ERROR;
        msg.warn(`empty macro name: "${value}"`);
        break;
      }
      status |= action(MAC_PARSE_EXPR, buf);
      buf = '';
    }
  }
  if (buf.length > 0 && (status & MAC_PARSE_ERROR) === 0) status |= action(MAC_PARSE_LITERAL, buf);
  return status;
}

/** Postfix: mac_expand_add_relop(): operators such as "<level" for compatibility levels. */
export function macExpandAddRelop(suffix: string, evaluate: RelopEval): void {
  for (const op of OPERATORS) {
    if (!extensionOperators.has(op + suffix)) extensionOperators.set(op + suffix, evaluate);
  }
}

function compareDefault(left: string, op: string, right: string): RelopResult {
  // Both all digits: numeric comparison; otherwise byte-wise string comparison.
  const delta = isDigits(left) && isDigits(right)
    ? Math.sign(Number(BigInt(left) - BigInt(right)))
    : (left < right ? -1 : left > right ? 1 : 0);
  return relopResult(delta, op);
}

/** The outcome of a comparison whose sign is delta. */
export function relopResult(delta: number, op: string): RelopResult {
  const yes = op === '==' ? delta === 0 : op === '!=' ? delta !== 0 : op === '<' ? delta < 0
    : op === '<=' ? delta <= 0 : op === '>=' ? delta >= 0 : delta > 0;
  return yes ? 'true' : 'false';
}

interface Expansion {
  result: string;
  flags: number;
  filter: string | undefined;
  lookup: MacLookup;
  status: number;
  level: number;
}

class ParseError extends Error {}

function parseError(mc: Expansion, text: string): never {
  msg.warn(text);
  mc.status |= MAC_PARSE_ERROR;
  throw new ParseError();
}

/** Text of a {...} group starting at pos (which holds '{'); returns payload and the position after trailing space. */
function curlyPayload(mc: Expansion, text: string, pos: number): [string, number] {
  let level = 1;
  let cp = pos + 1;
  for (;; cp++) {
    if (cp >= text.length) parseError(mc, `unbalanced {} in attribute expression: "${text.slice(pos)}"`);
    if (text[cp] === '{') level++;
    else if (text[cp] === '}' && --level <= 0) break;
  }
  const payload = text.slice(pos + 1, cp);
  cp += 1;
  return [payload, cp + spanOf(text, cp, WHITESPACE)];
}

function findLeftCurly(text: string, pos: number): number | undefined {
  const at = pos + spanOf(text, pos, WHITESPACE);
  return text[at] === '{' ? at : undefined;
}

function parseRelational(mc: Expansion, text: string, pos: number): [string | undefined, number] {
  const [left, afterLeft] = curlyPayload(mc, text, pos);
  let cp = afterLeft;
  const opLen = spanOf(text, cp, OPERATOR_CHARS);
  const opPos = cp;
  const op = text.slice(cp, cp + opLen);
  if (!OPERATORS.includes(op)) {
    parseError(mc, `${ANY_OPERATOR_TEXT} expected at: "...${left}}>>>${text.slice(cp, cp + 20)}"`);
  }
  cp += opLen;
  let evaluate: RelopEval = compareDefault;
  if (extensionOperators.size > 0 && isAlnum(text[cp])) {
    let typeLen = 1;
    while (isAlnum(text[cp + typeLen])) typeLen++;
    const typePos = cp;
    cp += typeLen;
    const ext = extensionOperators.get(text.slice(opPos, cp));
    if (ext === undefined) {
      parseError(mc, `bad operator suffix at: "...${op}>>>${text.slice(typePos, typePos + typeLen)}"`);
    }
    evaluate = ext;
  }
  const rightPos = findLeftCurly(text, cp);
  if (rightPos === undefined) {
    parseError(mc, `"{expression}" expected at: "...{${left}} ${op}>>>${text.slice(cp, cp + 20)}"`);
  }
  const [right, afterRight] = curlyPayload(mc, text, rightPos);
  const leftValue = expandInto(mc, left);
  const rightValue = expandInto(mc, right);
  let outcome: RelopResult = 'false';
  if ((mc.flags & MAC_EXP_FLAG_SCAN) === 0) {
    outcome = evaluate(leftValue, op, rightValue);
    if (outcome === 'error') mc.status |= MAC_PARSE_ERROR;
  }
  if (mc.status & MAC_PARSE_ERROR) throw new ParseError();
  if (mc.flags & MAC_EXP_FLAG_SCAN) return [undefined, afterRight];
  return [outcome === 'true' ? 'true' : '', afterRight];
}

/** A nested mac_expand() with the same settings, for the operands of a comparison. */
function expandInto(mc: Expansion, pattern: string): string {
  const inner = macExpand(pattern, mc.flags & ~MAC_EXP_FLAG_APPEND, mc.filter, mc.lookup);
  mc.status |= inner.status;
  return inner.result;
}

function expandCallback(mc: Expansion, type: number, text: string): number {
  if (mc.level++ > 100) {
    msg.warn(`unreasonable macro call nesting: "${text}"`);
    mc.status |= MAC_PARSE_ERROR;
  }
  if (mc.status & MAC_PARSE_ERROR) return mc.status;
  try {
    if (type === MAC_PARSE_EXPR) expandExpression(mc, text);
    else if ((mc.flags & MAC_EXP_FLAG_SCAN) === 0) mc.result += text;
  } catch (err) {
    if (err instanceof ParseError) return mc.status;
    throw err;
  }
  mc.level--;
  return mc.status;
}

/** The text of a ?/: branch: a {...} group, or everything that is left. */
function branchText(mc: Expansion, text: string, cp: number): [string, number] {
  const at = findLeftCurly(text, cp);
  return at !== undefined ? curlyPayload(mc, text, at) : [text.slice(cp), text.length];
}

function expandExpression(mc: Expansion, text: string): void {
  let lookup: string | undefined;
  let cp: number;
  let ch: string | undefined;
  const curly = findLeftCurly(text, 0);
  if (curly !== undefined) {
    [lookup, cp] = parseRelational(mc, text, curly);
    ch = text[cp];
    if (ch !== undefined) {
      if (ch !== '?' && ch !== ':') parseError(mc, `"?" or ":" expected at: "...}>>>${text.slice(cp, cp + 20)}"`);
      cp++;
    }
  } else {
    const start = spanOf(text, 0, WHITESPACE);
    let mode = MAC_EXP_MODE_USE;
    let nameEnd = start;
    for (cp = start; ; cp++) {
      const blank = spanOf(text, cp, WHITESPACE);
      ch = text[cp + blank];
      if (ch === undefined) {
        nameEnd = cp;
        mode = MAC_EXP_MODE_USE;
        break;
      }
      if (ch === '?' || ch === ':') {
        nameEnd = cp;
        cp += 1 + blank;
        mode = MAC_EXP_MODE_TEST;
        break;
      }
      if (!isAlnum(text[cp]) && text[cp] !== '_') {
        parseError(mc, `attribute name syntax error at: "...${text.slice(0, cp)}>>>${text.slice(cp, cp + 20)}"`);
      }
    }
    lookup = mc.lookup(text.slice(start, nameEnd), mode);
  }
  const scan = (mc.flags & MAC_EXP_FLAG_SCAN) !== 0;
  const isTrue = lookup !== undefined && lookup !== '';
  if (ch === '?') {
    let ifTrue: string;
    [ifTrue, cp] = branchText(mc, text, cp);
    if (isTrue || scan) mc.status |= macParse(ifTrue, (t, s) => expandCallback(mc, t, s));
    if (cp >= text.length) return;
    if (text[cp] !== ':') parseError(mc, `":" expected at: "...${ifTrue}}>>>${text.slice(cp, cp + 20)}"`);
    cp += 1;
    ch = ':';
  }
  if (ch === ':') {
    let ifFalse: string;
    [ifFalse, cp] = branchText(mc, text, cp);
    if (!isTrue || scan) mc.status |= macParse(ifFalse, (t, s) => expandCallback(mc, t, s));
    if (cp < text.length) parseError(mc, `unexpected input at: "...${ifFalse}}>>>${text.slice(cp, cp + 20)}"`);
    return;
  }
  if (lookup === undefined) {
    mc.status |= MAC_PARSE_UNDEF;
  } else if (lookup === '' || scan) {
    // nothing to insert
  } else if (mc.flags & MAC_EXP_FLAG_RECURSE) {
    mc.status |= macParse(lookup, (t, s) => expandCallback(mc, t, s));
  } else {
    let value = lookup;
    if (mc.flags & MAC_EXP_FLAG_PRINTABLE) value = printable(value, '_');
    else if (mc.filter !== undefined) {
      const filter = mc.filter;
      value = [...value].map((c) => (filter.includes(c) ? c : '_')).join('');
    }
    mc.result += value;
  }
}

/** Postfix: mac_expand(). Returns the expansion and the MAC_PARSE_* status bits. */
export function macExpand(pattern: string, flags: number, filter: string | undefined,
  lookup: MacLookup): { result: string; status: number } {
  const mc: Expansion = { result: '', flags, filter, lookup, status: 0, level: 0 };
  const status = macParse(pattern, (type, text) => expandCallback(mc, type, text));
  return { result: mc.result, status: status | mc.status };
}
