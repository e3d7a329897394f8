/*
 * postconf_other - the listing modes: table types (-m), lock methods (-l), SASL types
 * (-a, -A), TLS facts (-T), and bounce templates (-b, -t, which run bounce(8)).
 * Counterpart: postfix/src/postconf/postconf_other.c and the -b/-t part of postconf.c.
 * Lists are what this implementation supports, not what Postfix was built with: -m is the
 * table type registry (util/dict_open.ts), and -a/-A stay empty until a SASL plug-in exists.
 */
import { spawnSync } from 'node:child_process';
import { msg } from '../util/msg.js';
import { strerror } from '../util/strerror.js';
import { mailConfStr } from '../global/mail_conf.js';
import { VAR_BOUNCE_TMPL, VAR_DAEMON_DIR, VAR_QUEUE_DIR } from '../global/mail_params.js';
import { dictMapnames } from '../util/dict_open.js';
import { mailDictInit } from '../global/mail_dict.js';
import { mboxLockNames } from '../global/mbox_conf.js';
import { xsaslClientTypes } from '../xsasl/xsasl_client.js';
import { xsaslServerTypes } from '../xsasl/xsasl_server.js';
import { tlsCompileVersion, tlsPkeyAlgorithms, tlsRunVersion } from '../tls/tls_misc.js';
import type { Output } from './postconf_print.js';

const printList = (out: Output, list: readonly string[]) => { for (const item of list) out.write(`${item}\n`); };

/** Postfix: pcf_show_maps(): the lookup table types (dict_mapnames(), already sorted). */
export function showMaps(out: Output): void {
  mailDictInit();
  printList(out, dictMapnames());
}

export function showLocks(out: Output): void {
  printList(out, mboxLockNames());
}

export function showSasl(out: Output, side: 'server' | 'client'): void {
  printList(out, side === 'server' ? xsaslServerTypes() : xsaslClientTypes());
}

/** Postfix: pcf_show_tls(). */
export function showTls(out: Output, what: string): void {
  if (what === 'compile-version') {
    out.write(`${tlsCompileVersion()}\n`);
  } else if (what === 'run-version') {
    out.write(`${tlsRunVersion()}\n`);
  } else if (what === 'public-key-algorithms') {
    printList(out, tlsPkeyAlgorithms());
  } else {
    msg.warn(`unknown 'postconf -T' mode: ${what}`);
    out.flush();
    process.exit(1);
  }
}

/**
 * Run "bounce -SVn<mode>" from daemon_directory, as Postfix replaces itself with it
 * (mail_run_replace). Node cannot exec in place, so we wait and pass the status on.
 */
export function runBounceTemplates(mode: string, templateFile: string | undefined): never {
  const path = `${mailConfStr(VAR_DAEMON_DIR)}/bounce`;
  const args = [`-SVn${mode}`];
  if (templateFile !== undefined) args.push('-o', `${VAR_BOUNCE_TMPL}=${templateFile}`);
  args.push('-o', `${VAR_QUEUE_DIR}=.`);
  const child = spawnSync(path, args, { argv0: 'bounce', stdio: 'inherit' });
  if (child.error !== undefined) msg.fatal(`execv ${path}: ${strerror(child.error)}`);
  if (child.signal !== null) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}
