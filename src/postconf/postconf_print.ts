/*
 * postconf_print - postconf's output modes and its line folding.
 * Counterpart: postfix/src/postconf/postconf.h (PCF_* mode bits) and postconf_print.c.
 * Output goes through a buffered stream like VSTREAM_OUT, so that stdout and stderr
 * interleave as they do with the reference.
 */
import { vstreamOut } from '../util/vstream.js';

export const PCF_SHOW_NONDEF = 1 << 0;
export const PCF_SHOW_DEFS = 1 << 1;
export const PCF_HIDE_NAME = 1 << 2;
export const PCF_SHOW_MAPS = 1 << 3;
export const PCF_EDIT_CONF = 1 << 4;
export const PCF_SHOW_LOCKS = 1 << 5;
export const PCF_SHOW_EVAL = 1 << 6;
export const PCF_SHOW_SASL_SERV = 1 << 7;
export const PCF_SHOW_SASL_CLNT = 1 << 8;
export const PCF_COMMENT_OUT = 1 << 9;
export const PCF_MASTER_ENTRY = 1 << 10;
export const PCF_FOLD_LINE = 1 << 11;
export const PCF_EDIT_EXCL = 1 << 12;
export const PCF_MASTER_FLD = 1 << 13;
export const PCF_MAIN_PARAM = 1 << 14;
export const PCF_EXP_DSN_TEMPL = 1 << 15;
export const PCF_PARAM_CLASS = 1 << 16;
export const PCF_MAIN_OVER = 1 << 17;
export const PCF_DUMP_DSN_TEMPL = 1 << 18;
export const PCF_MASTER_PARAM = 1 << 19;
export const PCF_HIDE_VALUE = 1 << 20;
export const PCF_SHOW_TLS = 1 << 21;

export const PCF_LINE_LIMIT = 80;
export const PCF_INDENT_LEN = 4;
export const PCF_INDENT_TEXT = '    ';
const SEPARATORS = ' \t\r\n';

export interface Output {
  write(text: string): void;
  flush(): void;
}

export const stdoutStream: Output = vstreamOut;

/**
 * Postfix: pcf_print_line(): words separated by single spaces; with -f, lines longer
 * than 80 columns continue on lines indented by four spaces.
 */
export function printLine(out: Output, mode: number, text: string): void {
  let lineLen = 0;
  let line = '';
  let i = 0;
  for (;;) {
    while (i < text.length && SEPARATORS.includes(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !SEPARATORS.includes(text[i]!)) i++;
    const word = text.slice(start, i);
    if (lineLen > 0) {
      if ((mode & PCF_FOLD_LINE) === 0 || lineLen + word.length < PCF_LINE_LIMIT) {
        line += ' ';
        lineLen += 1;
      } else {
        line += `\n${PCF_INDENT_TEXT}`;
        lineLen = PCF_INDENT_LEN;
      }
    }
    line += word;
    lineLen += word.length;
  }
  out.write(`${line}\n`);
}
