/*
 * regex_posix - POSIX regular expressions from the C library: regcomp(), regexec(),
 * regerror() and regfree() through koffi, on byte strings.
 * Counterpart: <regex.h>, as postfix/src/util/dict_regexp.c uses it. JavaScript's RegExp
 * differs in syntax and matching (leftmost-longest, bracket expressions, back-references
 * in EREs), so regexp: tables use the same engine as the reference. The process stays in
 * the "C" locale, as Postfix does, so case folding and classes are ASCII-only.
 */
import { libc, LAYOUT, REG_NOMATCH, SIZEOF_REGMATCH } from './sys_libc.js';

const cBytes = (text: string) => Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(1)]);

/** A compiled expression; call free() when done (glibc holds memory outside the Buffer). */
export class PosixRegex {
  private constructor(private readonly preg: Buffer, readonly nsub: number) {}

  /** Compile; returns the regerror() text on failure. */
  static compile(pattern: string, cflags: number): PosixRegex | string {
    const preg = Buffer.alloc(LAYOUT.re_pattern_buffer.size);
    const status = libc().regcomp(preg, cBytes(pattern), cflags);
    if (status !== 0) return regerrorText(status, preg);
    return new PosixRegex(preg, Number(preg.readBigUInt64LE(LAYOUT.re_pattern_buffer.re_nsub)));
  }

  /**
   * Match; returns null for no match, the regerror() text for an error, or the offsets
   * of the first nmatch subexpressions ([-1, -1] for one that did not take part).
   */
  exec(subject: string, nmatch: number): [number, number][] | null | { error: string } {
    const pmatch = nmatch > 0 ? Buffer.alloc(nmatch * SIZEOF_REGMATCH) : null;
    const status = libc().regexec(this.preg, cBytes(subject), nmatch, pmatch, 0);
    if (status === REG_NOMATCH) return null;
    if (status !== 0) return { error: regerrorText(status, this.preg) };
    const offsets: [number, number][] = [];
    for (let i = 0; i < nmatch; i++) offsets.push([pmatch!.readInt32LE(i * 8), pmatch!.readInt32LE(i * 8 + 4)]);
    return offsets;
  }

  free(): void {
    libc().regfree(this.preg);
  }
}

function regerrorText(status: number, preg: Buffer): string {
  const buf = Buffer.alloc(256);
  libc().regerror(status, preg, buf, buf.length);
  const end = buf.indexOf(0);
  return buf.subarray(0, end < 0 ? buf.length : end).toString('latin1');
}
