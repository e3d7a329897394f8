/*
 * getopt - POSIX option parsing with the behaviour of glibc's getopt(3) as Postfix calls it.
 * Counterpart: the GETOPT() macro of postfix/src/util/sys_defs.h, which on Linux prepends
 * "+" so that glibc stops at the first non-option instead of permuting argv. Errors are
 * printed the way glibc prints them: "argv0: invalid option -- 'Z'".
 */
import { writeAll } from './vstream.js';

export const GETOPT_END = -1;

export class Getopt {
  /** Index of the next argument to look at, as in C. */
  optind = 1;
  /** Argument of the option just returned. */
  optarg: string | undefined;
  /** The option character that caused the last error. */
  optopt = '';
  /** Print errors to standard error (C: opterr). */
  opterr = true;
  private nextchar = 0; // position inside argv[optind] while scanning grouped options
  private readonly silentMissing: boolean;
  private readonly spec: string;

  /**
   * argv includes argv[0], which prefixes the error messages as typed. An optstring that
   * starts with ':' reports a missing argument as ':' and prints nothing, as in C.
   */
  constructor(private readonly argv: readonly string[], optstring: string) {
    this.spec = optstring.replace(/^[+-]/, '');
    this.silentMissing = this.spec.startsWith(':');
  }

  /** Postfix/C: getopt(). Returns the option character, '?' or ':' on error, or GETOPT_END. */
  next(): string | typeof GETOPT_END {
    this.optarg = undefined;
    const argv = this.argv;
    if (this.nextchar === 0) {
      const arg = argv[this.optind];
      if (arg === undefined || arg.length < 2 || arg[0] !== '-') return GETOPT_END;
      if (arg === '--') {
        this.optind++;
        return GETOPT_END;
      }
      this.nextchar = 1;
    }
    const arg = argv[this.optind]!;
    const c = arg[this.nextchar]!;
    this.nextchar++;
    const atEnd = this.nextchar >= arg.length;
    const where = c === ':' || c === ';' ? -1 : this.spec.indexOf(c);
    if (where < 0) {
      if (atEnd) this.advance();
      this.optopt = c;
      if (this.opterr && !this.silentMissing) this.complain(`invalid option -- '${c}'`);
      return '?';
    }
    if (this.spec[where + 1] !== ':') {
      if (atEnd) this.advance();
      return c;
    }
    // The option takes an argument: the rest of this word, or the next word.
    if (!atEnd) {
      this.optarg = arg.slice(this.nextchar);
      this.advance();
      return c;
    }
    this.advance();
    if (this.optind >= argv.length) {
      this.optopt = c;
      if (this.opterr && !this.silentMissing) this.complain(`option requires an argument -- '${c}'`);
      return this.silentMissing ? ':' : '?';
    }
    this.optarg = argv[this.optind++];
    return c;
  }

  /** The arguments after the options. */
  rest(): string[] {
    return this.argv.slice(this.optind);
  }

  private advance(): void {
    this.optind++;
    this.nextchar = 0;
  }

  private complain(text: string): void {
    writeAll(2, Buffer.from(`${this.argv[0] ?? ''}: ${text}\n`, 'latin1'));
  }
}
