/*
 * cfg_parser - the settings of a table client (memcache, and later the SQL and LDAP
 * types): from a file of "name = value" lines when the table name is a path (starts with
 * "/" or "."), otherwise from main.cf parameters named "<table name>_<setting>".
 * Counterpart: postfix/src/global/cfg_parser.c. Values from a file are not $-expanded;
 * values from main.cf are, as any main.cf parameter.
 */
import { msg } from '../util/msg.js';
import { DICT_OWNER_TRUSTED, DICT_OWNER_UNTRUSTED, type DictOwner } from '../util/dict.js';
import { statSync } from 'node:fs';
import { dictLoadFile, mailConfExpand, mailConfLookup, mailConfUpdate } from './mail_conf.js';

const STRTOL = /^[ \t\n\r\v\f]*[+-]?[0-9]+$/;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** A parsed integer as strtol() and the int range check see it; undefined if bad. */
function parseCInt(text: string): number | undefined {
  if (!STRTOL.test(text)) return undefined;
  const n = Number(text.trim());
  return n >= INT_MIN && n <= INT_MAX ? n : undefined;
}

/*
 * The files that parsers read stay loaded for the process, under their path, as Postfix's
 * registered dictionaries do: a second table with the same file sees the same settings.
 */
const loadedFiles = new Map<string, { settings: Map<string, string>; owner: DictOwner }>();

export class CfgParser {
  readonly owner: DictOwner;
  private readonly settings: Map<string, string> | undefined;

  private constructor(readonly name: string, settings: Map<string, string> | undefined, owner: DictOwner) {
    this.settings = settings;
    this.owner = owner;
  }

  /**
   * Postfix: cfg_parser_alloc(). A parser for a file or main.cf prefix; for a file that
   * cannot be opened, the open error (the caller reports it).
   */
  static create(name: string): CfgParser | NodeJS.ErrnoException {
    if (name === '') msg.fatal('cfg_parser_alloc: null parser name');
    if (name.startsWith('/') || name.startsWith('.')) {
      let loaded = loadedFiles.get(name);
      if (loaded === undefined) {
        const settings = new Map<string, string>();
        const err = dictLoadFile(settings, name);
        if (err !== undefined) return err;
        let uid = 0;
        try {
          uid = statSync(name).uid;
        } catch {
          // Read a moment ago; keep the trusted default if it is gone now.
        }
        loaded = { settings, owner: { status: uid !== 0 ? DICT_OWNER_UNTRUSTED : DICT_OWNER_TRUSTED, uid } };
        loadedFiles.set(name, loaded);
      }
      return new CfgParser(name, loaded.settings, loaded.owner);
    }
    return new CfgParser(name, undefined, { status: DICT_OWNER_TRUSTED, uid: 0 });
  }

  /** The raw setting, from the file or from main.cf ($-expanded there), or undefined. */
  private raw(name: string): string | undefined {
    if (this.settings !== undefined) return this.settings.get(name);
    const value = mailConfLookup(`${this.name}_${name}`);
    return value === undefined ? undefined : mailConfExpand(value);
  }

  /** How a main.cf-backed setting's name reads in its diagnostics. */
  private label(name: string): string {
    return this.settings !== undefined ? `${this.name}: ` : '';
  }

  private paramName(name: string): string {
    return this.settings !== undefined ? name : `${this.name}_${name}`;
  }

  /**
   * Postfix: cfg_get_str(). With defval undefined an empty result is undefined ("the caller
   * wants a null pointer"). min and max bound the length; 0 means no bound.
   */
  getStr(name: string, defval: string | undefined, min: number, max: number): string | undefined {
    let value = this.raw(name);
    if (value === undefined) {
      value = this.settings !== undefined ? defval ?? '' : mailConfExpand(defval ?? '');
      if (this.settings === undefined) mailConfUpdate(this.paramName(name), value);
    }
    const where = `${this.label(name)}bad string length`;
    if (min && value.length < min) msg.fatal(`${where} ${value.length} < ${min}: ${this.paramName(name)} = ${value}`);
    if (max && value.length > max) msg.fatal(`${where} ${value.length} > ${max}: ${this.paramName(name)} = ${value}`);
    const result = defval === undefined && value === '' ? undefined : value;
    if (msg.verbose) msg.info(`cfg_get_str: ${this.name}: ${name} = ${result ?? '<NULL>'}`);
    return result;
  }

  /** Postfix: cfg_get_int(). */
  getInt(name: string, defval: number, min: number, max: number): number {
    const text = this.raw(name);
    let value = defval;
    if (text !== undefined) {
      const n = parseCInt(text);
      if (n === undefined || text === '') msg.fatal(`${this.label(name)}bad numerical configuration: ${this.paramName(name)} = ${text}`);
      value = n;
    } else if (this.settings === undefined) {
      mailConfUpdate(this.paramName(name), String(defval));
    }
    if (min && value < min) msg.fatal(`${this.label(name)}invalid ${this.paramName(name)} parameter value ${value} < ${min}`);
    if (max && value > max) msg.fatal(`${this.label(name)}invalid ${this.paramName(name)} parameter value ${value} > ${max}`);
    if (msg.verbose) msg.info(`cfg_get_int: ${this.name}: ${name} = ${value}`);
    return value;
  }

  /** Postfix: cfg_get_bool(). */
  getBool(name: string, defval: boolean): boolean {
    const text = this.raw(name);
    let value = defval;
    if (text !== undefined) {
      if (/^yes$/i.test(text)) value = true;
      else if (/^no$/i.test(text)) value = false;
      else msg.fatal(`${this.label(name)}bad boolean configuration: ${this.paramName(name)} = ${text}`);
    } else if (this.settings === undefined) {
      mailConfUpdate(this.paramName(name), defval ? 'yes' : 'no');
    }
    if (msg.verbose) msg.info(`cfg_get_bool: ${this.name}: ${name} = ${value ? 'on' : 'off'}`);
    return value;
  }
}
