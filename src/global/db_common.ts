/*
 * db_common - what the table clients that talk to a database (memcache, and later the SQL
 * and LDAP types) share: query and result templates with %s %u %d %S %U %D %1-%9, and the
 * "domain" list that limits which keys are looked up at all.
 * Counterpart: postfix/src/global/db_common.c.
 */
import { msg } from '../util/msg.js';
import type { Dict } from '../util/dict.js';
import { MATCH_FLAG_RETURN } from '../util/match_list.js';
import type { CfgParser } from './cfg_parser.js';
import { type StringList, stringListInit, stringListMatch } from './string_list.js';

const DB_COMMON_KEY_DOMAIN = 1 << 0; // needs the key's domain
const DB_COMMON_KEY_USER = 1 << 1; // needs the key's local part
const DB_COMMON_VALUE_DOMAIN = 1 << 2; // needs the result's domain
const DB_COMMON_VALUE_USER = 1 << 3; // needs the result's local part
const DB_COMMON_KEY_PARTIAL = 1 << 4; // the key uses parts of the input

export class DbCommon {
  domain: StringList | undefined;
  flags = 0;
  nparts = 0;

  constructor(readonly dict: Dict) {}

  /**
   * Postfix: db_common_parse(). Note what a query (or result) template needs; true when it
   * has any % expansion at all.
   */
  parse(format: string, query: boolean): boolean {
    let dynamic = false;
    for (let i = 0; i < format.length; i++) {
      if (format[i] !== '%') continue;
      const c = format[++i];
      switch (c) {
        case '%':
          break;
        case 'u':
          this.flags |= query ? DB_COMMON_KEY_USER | DB_COMMON_KEY_PARTIAL : DB_COMMON_VALUE_USER;
          dynamic = true;
          break;
        case 'd':
          this.flags |= query ? DB_COMMON_KEY_DOMAIN | DB_COMMON_KEY_PARTIAL : DB_COMMON_VALUE_DOMAIN;
          dynamic = true;
          break;
        case 's':
        case 'S':
          dynamic = true;
          break;
        case 'U':
          this.flags |= DB_COMMON_KEY_PARTIAL | DB_COMMON_KEY_USER;
          dynamic = true;
          break;
        case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
          // Keys with fewer domain labels than the highest %n are never expanded.
          this.nparts = Math.max(this.nparts, Number(c));
          this.flags |= DB_COMMON_KEY_PARTIAL | DB_COMMON_KEY_DOMAIN;
          dynamic = true;
          break;
        case 'D':
          this.flags |= DB_COMMON_KEY_PARTIAL | DB_COMMON_KEY_DOMAIN;
          dynamic = true;
          break;
        default:
          msg.fatal(`db_common_parse: ${this.dict.name}: Invalid ${query ? 'query' : 'result'} template: ${format}`);
      }
    }
    return dynamic;
  }

  /** Postfix: db_common_parse_domain(): the optional "domain" setting. */
  async parseDomain(parser: CfgParser): Promise<void> {
    const domainList = parser.getStr('domain', '', 0, 0)!;
    if (domainList !== '') this.domain = await stringListInit(parser.name, MATCH_FLAG_RETURN, domainList);
  }

  /**
   * Postfix: db_common_dict_partial(). Always false: a partial-key table would break
   * recipient delimiter lookups, so Postfix has this test disabled.
   */
  dictPartial(): boolean {
    return false;
  }

  /**
   * Postfix: db_common_expand(). Append the expansion of format for value (a lookup key,
   * or with key set, a result for that key) to result.text, after a comma when result is
   * not empty. False when value does not fit the template (it has no domain, too few
   * labels ...), so that the query or result is skipped.
   */
  expand(format: string, value: string | null, key: string | null, result: { text: string },
    quote?: (dict: Dict, text: string) => string): boolean {
    const myname = 'db_common_expand';
    if (value === null) return false;
    if (value === '') {
      if (key !== null) {
        msg.warn(`table "${this.dict.type}:${this.dict.name}": empty lookup result for: "${key}" -- ignored`);
      } else {
        msg.warn(`table "${this.dict.type}:${this.dict.name}": empty query string -- ignored`);
      }
      return false;
    }
    const dflag = key !== null ? DB_COMMON_VALUE_DOMAIN : DB_COMMON_KEY_DOMAIN;
    let vdomain: number | undefined; // index after the '@' in value
    let kdomain: number | undefined; // index after the '@' in key
    const domainOf = (text: string) => {
      const at = text.lastIndexOf('@');
      return at < 0 ? undefined : at + 1;
    };
    if (key !== null) {
      if (this.flags & (DB_COMMON_VALUE_DOMAIN | DB_COMMON_VALUE_USER)) vdomain = domainOf(value);
      if (((vdomain === undefined || vdomain === value.length) && (this.flags & DB_COMMON_VALUE_DOMAIN))
        || (vdomain === 1 && (this.flags & DB_COMMON_VALUE_USER))) return false;
      if (this.flags & (DB_COMMON_KEY_DOMAIN | DB_COMMON_KEY_USER)) kdomain = domainOf(key);
      if (((kdomain === undefined || kdomain === key.length) && (this.flags & DB_COMMON_KEY_DOMAIN))
        || (kdomain === 1 && (this.flags & DB_COMMON_KEY_USER))) {
        msg.warn(`${myname}: ${this.dict.name}: lookup key '${value}' skipped after query`);
        return false;
      }
    } else {
      if (this.flags & (DB_COMMON_KEY_DOMAIN | DB_COMMON_KEY_USER)) vdomain = domainOf(value);
      if (((vdomain === undefined || vdomain === value.length) && (this.flags & DB_COMMON_KEY_DOMAIN))
        || (vdomain === 1 && (this.flags & DB_COMMON_KEY_USER))) return false;
    }
    let parts: string[] | undefined;
    if (this.nparts > 0) {
      const from = key !== null ? (kdomain === undefined ? undefined : key.slice(kdomain))
        : (vdomain === undefined ? undefined : value.slice(vdomain));
      // Postfix splits with argv_split(), which drops empty fields.
      parts = (from ?? '').split('.').filter((p) => p !== '');
      if (parts.length < this.nparts) return false;
    }
    if (result.text.length > 0) result.text += ',';
    const add = (text: string) => {
      result.text += quote ? quote(this.dict, text) : text;
    };
    const badContext = () => msg.panic(`${myname}: ${this.dict.name}: ${format}: bad query/result template context`);
    const noDomain = () => msg.panic(`${myname}: ${this.dict.name}: ${format}: expanding domain-less key or value`);
    for (let i = 0; i < format.length; i++) {
      if (format[i] !== '%') {
        result.text += format[i];
        continue;
      }
      const c = format[++i];
      switch (c) {
        case '%':
          result.text += '%';
          break;
        case 's':
          add(value);
          break;
        case 'u':
          add(vdomain !== undefined ? value.slice(0, vdomain - 1) : value);
          break;
        case 'd':
          if (!(this.flags & dflag)) badContext();
          if (vdomain === undefined) noDomain();
          add(value.slice(vdomain));
          break;
        case 'S':
          add(key ?? value);
          break;
        case 'U':
          if (key !== null) add(kdomain !== undefined ? key.slice(0, kdomain - 1) : key);
          else add(vdomain !== undefined ? value.slice(0, vdomain - 1) : value);
          break;
        case 'D': {
          if (!(this.flags & DB_COMMON_KEY_DOMAIN)) badContext();
          const at = key !== null ? kdomain : vdomain;
          if (at === undefined) noDomain();
          add((key ?? value).slice(at));
          break;
        }
        case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': {
          const n = Number(c);
          if (!(this.flags & DB_COMMON_KEY_DOMAIN) || this.nparts < n) badContext();
          if (parts === undefined || parts.length < this.nparts) {
            msg.panic(`${myname}: ${this.dict.name}: ${format}: key has too few domain labels`);
          }
          add(parts[parts.length - n]!);
          break;
        }
        default:
          msg.fatal(`${myname}: ${this.dict.name}: invalid ${key !== null ? 'result' : 'query'} template '${format}'`);
      }
    }
    return true;
  }

  /**
   * Postfix: db_common_check_domain(): 1 when the key may be looked up, 0 when its domain
   * is not in the "domain" list, or the (negative) error of a failed table lookup.
   */
  async checkDomain(addr: string): Promise<number> {
    if (this.domain === undefined) return 1;
    const at = addr.lastIndexOf('@');
    if (at <= 0) return 0;
    if (!(await stringListMatch(this.domain, addr.slice(at + 1)))) return this.domain.error;
    return 1;
  }
}
