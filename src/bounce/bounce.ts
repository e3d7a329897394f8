#!/usr/bin/env node
/*
 * NAME
 *	bounce - delivery status reports
 * SYNOPSIS
 *	bounce [generic Postfix daemon options]
 * DESCRIPTION
 *	Started by master(8) as master.cf says, bounce(8) will write delivery status
 *	notifications from its templates. This version implements only the stand-alone
 *	template modes that postconf(1) uses: "bounce -SVndump_templates" prints the
 *	templates in bounce_template_file syntax (postconf -t), and
 *	"bounce -SVnexpand_templates" prints their text with $names expanded (postconf -b).
 *	As a daemon it reports that it is not built yet and dies (the bounce issue).
 *
 *	The built-in template texts are our own wording; their headers, structure and
 *	$name expansions are those of Postfix.
 * CONFIGURATION PARAMETERS
 *	bounce_template_file, header_from_format, delay_warning_time,
 *	maximal_queue_lifetime, smtputf8_enable, myhostname, mydomain.
 * SEE ALSO
 *	postconf(1), bounce(5), master(8)
 */
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msg, msgVstreamInit } from '../util/msg.js';
import { vstreamOut } from '../util/vstream.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { mailConfBool, mailConfRead, mailConfStr, mailConfUpdate, splitNameval } from '../global/mail_conf.js';
import { setUtilUtf8Enable } from '../util/printable.js';
import { mailTask, setMailTaskSyslogName } from '../global/mail_task.js';
import { daemonNotBuiltYet } from '../master/not_built_server.js';
import { createTemplates, dumpTemplates, expandTemplates, loadTemplatesFile } from './bounce_templates.js';

const TEMPLATE_SERVICES = ['dump_templates', 'expand_templates'];

/** Postfix: hfrom_format_parse(): true for the standard format. */
function standardHeaderFrom(): boolean {
  const value = mailConfStr('header_from_format');
  if (value === 'standard') return true;
  if (value === 'obsolete') return false;
  return msg.fatal(`invalid setting: "header_from_format = ${value}"`);
}

export function main(argv: string[]): void {
  const procname = argv[0]!.slice(argv[0]!.lastIndexOf('/') + 1);
  let serviceName = '';
  let standalone = false;
  let logToStderr = false;
  const overrides: string[] = [];
  const opts = new Getopt(argv, 'cdDi:lm:n:o:r:s:St:uvVz');
  for (let ch = opts.next(); ch !== GETOPT_END; ch = opts.next()) {
    switch (ch) {
      case 'n':
        serviceName = opts.optarg!;
        break;
      case 'o':
        overrides.push(opts.optarg!);
        break;
      case 'S':
        standalone = true;
        break;
      case 'v':
        msg.verbose++;
        break;
      case 'V':
        logToStderr = true;
        break;
      case '?':
        msg.fatal(`invalid option: ${opts.optopt}`);
        break;
      default:
        break; // the other daemon options do not matter to the template modes
    }
  }
  // Only the stand-alone template modes exist so far; anything else is the daemon.
  if (!standalone || !TEMPLATE_SERVICES.includes(serviceName)) daemonNotBuiltYet(argv, 'the bounce issue');
  mailConfRead();
  // Postfix: mail_task() before mail_params_init(): syslog_name as main.cf has it.
  setMailTaskSyslogName(mailConfStr('syslog_name'));
  if (logToStderr) msgVstreamInit(mailTask(procname), 2);
  for (const arg of overrides) {
    const nv = splitNameval(arg);
    if (typeof nv === 'string') msg.fatal(`invalid "-o ${arg}" option value: ${nv}`);
    mailConfUpdate(nv[0], nv[1]);
  }
  // Postfix: mail_params_init() lets UTF-8 through printable() when SMTPUTF8 is on.
  setUtilUtf8Enable(mailConfBool('smtputf8_enable'));
  const templates = createTemplates();
  const file = mailConfStr('bounce_template_file');
  if (file !== '') loadTemplatesFile(file, templates);
  const standardFrom = standardHeaderFrom();
  vstreamOut.write(serviceName === 'dump_templates' ? dumpTemplates(templates, standardFrom) : expandTemplates(templates));
  vstreamOut.flush();
  process.exit(0);
}

if (isMainModule(import.meta.url)) main(programArgv());
