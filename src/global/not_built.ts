/*
 * not_built - the fatal exit of a program, or a mode of one, that this project has not
 * built yet. No Postfix counterpart. The text names the issue that builds it, so that
 * nobody mistakes the exit for a configuration problem.
 */
import { msg } from '../util/msg.js';

export function notBuiltYet(what: string, issue: string): never {
  return msg.fatal(`${what} is not implemented yet in this Postfix replacement (${issue})`);
}
