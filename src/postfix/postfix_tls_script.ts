#!/usr/bin/env node
/*
 * postfix-tls-script - "postfix tls": create, deploy and describe the SMTP server's keys and
 * certificates, and turn on opportunistic TLS; installed as $daemon_directory/postfix-tls-script.
 * Counterpart: postfix/conf/postfix-tls-script (a shell script there). Like the script, it
 * runs openssl(1) (openssl_path of the default instance) for the key work and postconf for
 * main.cf edits; parameter queries are answered in-process, and digests computed here.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { Getopt, GETOPT_END } from '../util/getopt.js';
import { msgPrintf, msgVstreamInit, MSG_ERROR, MSG_FATAL, MSG_INFO, MSG_WARN, type MsgLevel } from '../util/msg.js';
import { isMainModule, programArgv } from '../util/main_module.js';
import { runScript, scriptExit as exit } from '../util/script_exit.js';
import { writeAll } from '../util/vstream.js';
import { DEF_CONFIG_DIR, mailConfExpand, mailConfLookup, mailConfRead, mailConfStr } from '../global/mail_conf.js';
import { maillogClientInit, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK } from '../global/maillog_client.js';
import { isDirectory, isReadable, isRegularFile, shellWords, toolError } from './postfix_find.js';
import { postconfComplaints, sleep } from './postfix_run.js';

const RSA_BITS = '2048';
const EC_CURVE = 'secp256r1';
const NULL256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CLIENT_SETTINGS = ['smtp_use_tls', 'smtp_enforce_tls', 'smtp_tls_enforce_peername', 'smtp_tls_security_level',
  'smtp_tls_cert_file', 'smtp_tls_dcert_file', 'smtp_tls_eccert_file'];
const SERVER_SETTINGS = ['smtpd_use_tls', 'smtpd_enforce_tls', 'smtpd_tls_security_level', 'smtpd_tls_cert_file',
  'smtpd_tls_dcert_file', 'smtpd_tls_eccert_file'];
const COMMANDS = 'enable-client (or enable-server, new-server-key, new-server-cert, deploy-server-cert, output-server-csr, '
  + 'output-server-tlsa, all-default-client, all-default-server)';

/** postlog -p level: one record per line of text. A fatal record pauses a second, as postlog does. */
function log(level: MsgLevel, text: string): void {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) msgPrintf(level, line);
  if (level >= MSG_FATAL) sleep(1);
}
const info = (text: string) => log(MSG_INFO, text);
const warn = (text: string) => log(MSG_WARN, text);
/** $FATAL ...; the caller returns or exits. */
function fatal(text: string): false {
  log(MSG_FATAL, text);
  return false;
}
const out = (text: string) => writeAll(1, Buffer.from(text, 'latin1'));

interface Tls {
  configDir: string;
  dataDir: string;
  commandDir: string;
  postconf: string;
  openssl: string;
  rsa: string;
  ecdsa: string;
  defaultAlgorithm: string;
  stdin: string;
  tlsRandomSource: string;
}

/** The answer of "$postconf args", a query we answer in-process (see postconfComplaints). */
function query(tls: Tls, value: string): string {
  postconfComplaints(tls.postconf, tls.configDir);
  return value;
}
const paramX = (tls: Tls, name: string) => query(tls, mailConfStr(name)); // -xh
const paramN = (tls: Tls, name: string) => query(tls, mailConfLookup(name) ?? ''); // -nh
const paramNX = (tls: Tls, name: string) => query(tls, mailConfExpand(mailConfLookup(name) ?? '')); // -nxh

/** Run postconf itself (edits, and -m). */
function runPostconf(tls: Tls, args: readonly string[], capture = false): [number, string] {
  const result = spawnSync(tls.postconf, args, { argv0: tls.postconf, encoding: 'latin1',
    stdio: ['inherit', capture ? 'pipe' : 'inherit', 'inherit'] });
  if (result.error !== undefined) return [127, ''];
  return [result.status ?? 1, result.stdout ?? ''];
}

interface Result {
  status: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** Run openssl with arguments and standard input; its output collected. */
function openssl(tls: Tls, args: readonly string[], input: Buffer | string = '', umask?: number): Result {
  const old = umask === undefined ? undefined : process.umask(umask);
  try {
    const result = spawnSync(tls.openssl, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
    if (result.error !== undefined) return { status: 127, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
    return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  } finally {
    if (old !== undefined) process.umask(old);
  }
}

const hexSha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
/** grep .: the non-empty lines. */
const nonEmptyLines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => `${l}\n`).join('');

interface KeyInfo {
  text: string;
  algo: string;
  keyParam: string;
  certParam: string;
}

/** read_key: the private key in PEM, with the parameters that name such a key. */
function readKey(tls: Tls, file: string): KeyInfo | undefined {
  if (file === '' || !isRegularFile(file)) return undefined;
  // Old OpenSSL versions succeed with unsupported commands: look at the output.
  for (const [cmd, algo, keyParam, certParam] of [['rsa', 'rsa', 'smtpd_tls_key_file', 'smtpd_tls_cert_file'],
    ['ec', 'ecdsa', 'smtpd_tls_eckey_file', 'smtpd_tls_eccert_file']] as const) {
    const text = nonEmptyLines(openssl(tls, [cmd, '-passin', 'pass:umask 077', '-in', file]).stdout.toString('latin1'));
    if (text !== '') return { text, algo, keyParam, certParam };
  }
  return undefined;
}

/** The SHA2-256 digest of a public key in DER form, from PEM text, by "openssl rsa|ec -pubin". */
function spkiDigest(tls: Tls, cmd: string, pem: Buffer): string | undefined {
  const der = openssl(tls, [cmd, '-pubin', '-outform', 'DER'], pem).stdout;
  const digest = hexSha256(der);
  return digest === NULL256 ? undefined : digest;
}

function pubkeyDigest(tls: Tls, file: string): string | undefined {
  if (file === '' || !isRegularFile(file)) return undefined;
  for (const cmd of ['ec', 'rsa']) {
    const pem = openssl(tls, [cmd, '-passin', 'pass:umask 077', '-in', file, '-pubout']).stdout;
    const digest = spkiDigest(tls, cmd, pem);
    if (digest !== undefined) return digest;
  }
  return undefined;
}

function certPubkeyDigest(tls: Tls, file: string): string | undefined {
  if (file === '' || !isRegularFile(file)) return undefined;
  for (const cmd of ['ec', 'rsa']) {
    const pem = openssl(tls, ['x509', '-pubkey', '-noout', '-in', file]).stdout;
    const digest = spkiDigest(tls, cmd, pem);
    if (digest !== undefined) return digest;
  }
  return undefined;
}

function copyKey(tls: Tls, algo: string, oldFile: string, newFile: string): boolean {
  const key = readKey(tls, oldFile);
  const old = process.umask(0o077);
  try {
    writeFileSync(newFile, key?.text ?? '', { encoding: 'latin1', mode: 0o666 });
  } finally {
    process.umask(old);
  }
  if (key === undefined) return fatal(`Error copying private key from '${oldFile}' to '${newFile}'`);
  if (key.algo !== algo) return fatal(`Key algorithm '${key.algo}' of '${oldFile}' is not '${algo}'`);
  return true;
}

function createKey(tls: Tls, algo: string, bits: string, newFile: string): boolean {
  let args: string[];
  if (algo === '') return fatal('Internal error: empty algorithm');
  if (algo === tls.rsa) args = ['genrsa', '-out', newFile, bits];
  else if (algo === tls.ecdsa) args = ['ecparam', '-param_enc', 'named_curve', '-genkey', '-out', newFile, '-name', bits];
  else return fatal(`Internal error: bad algorithm '${algo}'`);
  const result = openssl(tls, args, '', 0o077);
  if (result.status !== 0) {
    warn(Buffer.concat([result.stdout, result.stderr]).toString('latin1').replace(/\n+$/, ''));
    return fatal(`error generating new ${algo} ${bits} private key`);
  }
  return true;
}

/** set_fqdn: the host name given, or myhostname (or the content of the file it names). */
function fqdnOf(tls: Tls, name: string | undefined): string | undefined {
  if (name) return name;
  const fqdn = paramX(tls, 'myhostname');
  if (!fqdn.startsWith('/')) return fqdn;
  try {
    return readFileSync(fqdn, 'latin1').replace(/\n+$/, '');
  } catch {
    toolError(`cat: ${fqdn}: No such file or directory`);
    return undefined;
  }
}

/**
 * Run "openssl req -config /dev/stdin ..." with the configuration text on standard input.
 * openssl opens /dev/stdin by name, which works with a pipe or a file but not with the
 * socket that Node would give it: the text goes into a temporary file.
 */
function opensslReq(tls: Tls, args: readonly string[], config: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'postfix-tls-'));
  const file = join(dir, 'req.cnf');
  try {
    writeFileSync(file, config, 'latin1');
    const fd = openSync(file, 'r');
    try {
      const result = spawnSync(tls.openssl, args, { stdio: [fd, 'inherit', 'inherit'] });
      return result.error === undefined && result.status === 0;
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The openssl req configuration for a key with these DNS names. */
function reqConfig(extensions: string, names: readonly string[]): string {
  const lines = ['default_md = sha256', extensions, 'prompt = yes', 'distinguished_name = dn', '[dn]', '[v3]'];
  if (extensions.startsWith('x509')) lines.push('basicConstraints = CA:false');
  lines.push('subjectKeyIdentifier = hash', 'extendedKeyUsage = serverAuth, clientAuth', 'subjectAltName = @alts', '[alts]');
  names.forEach((dns, i) => lines.push(`DNS.${i + 1} = ${dns}`));
  return `${lines.join('\n')}\n`;
}

function createCert(tls: Tls, keyFile: string, certFile: string, hosts: readonly string[]): boolean {
  const fqdn = fqdnOf(tls, hosts[0]);
  if (fqdn === undefined) return false;
  const names = [fqdn, ...hosts.slice(1)];
  if (isReadable(certFile)) return fatal(`New certificate file already exists: ${certFile}`);
  // A new self-signed certificate, good for about 100 years.
  if (!opensslReq(tls, ['req', '-x509', '-config', tls.stdin, '-new', '-key', keyFile, '-subj', `/CN=${fqdn}`,
    '-days', '36525', '-out', certFile], reqConfig('x509_extensions = v3', names))) {
    rmSync(certFile, { force: true });
    rmSync(keyFile, { force: true });
    return fatal('error generating self-signed SSL certificate');
  }
  return true;
}

/** set_keyfile: a key file name, an algorithm (the configured key), or none. */
function keyFileOf(tls: Tls, spec: string): string {
  let keyFile = spec;
  if (spec === 'rsa') keyFile = tls.rsa !== '' ? paramNX(tls, 'smtpd_tls_key_file') : '';
  else if (spec === 'ecdsa') keyFile = tls.ecdsa !== '' ? paramNX(tls, 'smtpd_tls_eckey_file') : '';
  else if (spec !== '' && spec !== 'none' && !spec.startsWith('/')) keyFile = `${tls.configDir}/${spec}`; // relative to config_directory
  return keyFile === 'none' ? '' : keyFile;
}

function checkKey(tls: Tls, file: string): KeyInfo | undefined {
  const key = readKey(tls, file);
  if (key === undefined) fatal(`no private key found in file: ${file}`);
  return key;
}

/** ensure_key: a new key (or a copy of oldKey) in config_directory, and the name for its certificate. */
function ensureKey(tls: Tls, algo: string, bits: string, oldKey: string): { keyFile: string; certFile: string } | undefined {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}-`
    + `${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
  let keyFile: string;
  let certFile: string;
  if (algo === '') return void fatal('Internal error: empty algorithm ');
  if (algo === tls.rsa) {
    keyFile = `${tls.configDir}/key-${stamp}.pem`;
    certFile = `${tls.configDir}/cert-${stamp}.pem`;
  } else if (algo === tls.ecdsa) {
    keyFile = `${tls.configDir}/eckey-${stamp}.pem`;
    certFile = `${tls.configDir}/eccert-${stamp}.pem`;
  } else {
    return void fatal(`Internal error: bad algorithm '${algo}'`);
  }
  if (isReadable(keyFile)) return void fatal(`New private key file already exists: ${keyFile}`);
  if (isReadable(certFile)) return void fatal(`New certificate file already exists: ${certFile}`);
  const ok = oldKey !== '' ? copyKey(tls, algo, oldKey, keyFile) : createKey(tls, algo, bits, keyFile);
  if (ok) return { keyFile, certFile };
  rmSync(keyFile, { force: true });
  return undefined;
}

function initRandomSource(tls: Tls, rand: string): boolean {
  tls.tlsRandomSource = rand !== '' ? rand : paramX(tls, 'tls_random_source');
  if (tls.tlsRandomSource !== '') return true;
  if (isReadable('/dev/urandom')) {
    tls.tlsRandomSource = 'dev:/dev/urandom';
    return true;
  }
  return fatal('no default TLS random source defined and no /dev/urandom');
}

/** No setting of the list in main.cf. */
function allDefault(tls: Tls, names: readonly string[]): boolean {
  return names.every((name) => paramN(tls, name) === '');
}

/** The best table type for a TLS session cache: lmdb, else btree. */
function cacheDbType(tls: Tls): string | undefined {
  const [, types] = runPostconf(tls, ['-m'], true);
  let best: string | undefined;
  let prio = 0;
  for (const type of shellWords(types)) {
    const p = type === 'lmdb' ? 2 : type === 'btree' ? 1 : 0;
    if (p > prio) {
      best = type;
      prio = p;
    }
  }
  return best;
}

function deployServerCert(tls: Tls, certFile: string, keyFile: string, deploy: string): boolean {
  const key = checkKey(tls, keyFile);
  if (key === undefined) return false;
  const certDigest = certPubkeyDigest(tls, certFile);
  if (certDigest === undefined) return fatal('error computing certificate public key digest');
  const keyDigest = pubkeyDigest(tls, keyFile);
  if (keyDigest === undefined) return fatal('error computing public key digest');
  if (certDigest !== keyDigest) return fatal(`Certificate in ${certFile} does not match key in ${keyFile}`);
  const settings = [`${key.keyParam} = ${keyFile}`, `${key.certParam} = ${certFile}`];
  if (deploy === 'enable') {
    settings.push('smtpd_tls_security_level = may', 'smtpd_tls_received_header = yes', 'smtpd_tls_loglevel = 1');
  }
  if (tls.tlsRandomSource !== '') settings.push(`tls_random_source = ${tls.tlsRandomSource}`);
  // In one postconf run: postconf delays changes to a main.cf that is being changed.
  return runPostconf(tls, ['-e', ...settings])[0] === 0;
}

function infoServerDeployed(deploy: string): string {
  return `${deploy === 'enable' ? 'Enabled opportunistic TLS in the Postfix SMTP server\n' : ''}New TLS private key and certificate deployed.
Run the command:
  # postfix reload
if you want the new settings to take effect immediately.
`;
}

function newServerCert(tls: Tls, algo: string, bits: string, oldKey: string, deploy: string, hosts: readonly string[]): boolean {
  const files = ensureKey(tls, algo, bits, oldKey);
  if (files === undefined) return false;
  const { keyFile, certFile } = files;
  if (!createCert(tls, keyFile, certFile, hosts)) return false;
  if (deploy !== '' && !deployServerCert(tls, certFile, keyFile, deploy)) return false;
  let text = deploy === '' ? `New private key and self-signed certificate created. To deploy run:
  # postfix tls deploy-server-cert ${certFile} ${keyFile}
` : infoServerDeployed(deploy);
  text += `To generate a CSR run:
  # postfix tls output-server-csr -k ${keyFile} [<hostname> ...]
`;
  text += deploy === '' ? `Save the signed certificate chain in ${certFile}, and deploy as above.\n`
    : `Save the signed certificate chain in ${certFile}.\n`;
  text += `To generate TLSA records run:
  # postfix tls output-server-tlsa [-h <hostname>] ${deploy === '' ? keyFile : ''}
`;
  if (oldKey === '') {
    text += deploy !== '' ? `(If you have DANE TLSA RRs, update them as soon as possible to match
the newly deployed keys).
` : '(deploy after updating the DNS and waiting for stale RRs to expire).\n';
  }
  info(text);
  return true;
}

function enableClient(tls: Tls): boolean {
  let text: string;
  if (allDefault(tls, CLIENT_SETTINGS)) {
    const settings = ['smtp_tls_security_level = may', 'smtp_tls_loglevel = 1'];
    const dbType = cacheDbType(tls);
    if (dbType !== undefined) settings.push(`smtp_tls_session_cache_database = ${dbType}:${tls.dataDir}/smtp_scache`);
    if (tls.tlsRandomSource !== '') settings.push(`tls_random_source = ${tls.tlsRandomSource}`);
    if (runPostconf(tls, ['-e', ...settings])[0] !== 0) return true; // the pipeline's status is $INFO's
    text = `Enabled opportunistic TLS in the Postfix SMTP client.
Run the command:
  # postfix reload
if you want the new settings to take effect immediately.
`;
  } else {
    text = `*** Non-default SMTP client TLS settings detected, no changes made.
For opportunistic TLS in the Postfix SMTP client, the below settings
are typical:
  smtp_tls_security_level = may
  smtp_tls_loglevel = 1
`;
    const dbType = cacheDbType(tls);
    if (dbType !== undefined) text += `  smtp_tls_session_cache_database = ${dbType}:\${data_directory}/smtp_scache\n`;
  }
  info(text);
  return true;
}

function enableServer(tls: Tls, algo: string, bits: string, hosts: readonly string[]): boolean {
  if (allDefault(tls, SERVER_SETTINGS)) return newServerCert(tls, algo, bits, '', 'enable', hosts);
  info(`*** Non-default SMTP server TLS settings detected, no changes made.
For opportunistic TLS in the Postfix SMTP server, the below settings
are typical:
  smtpd_tls_security_level = may
  smtpd_tls_loglevel = 1
You can use "postfix tls new-server-cert" to create a new certificate.
Or, "postfix tls new-server-key" to also force a new private key.
If you publish DANE TLSA records, see:
  https://tools.ietf.org/html/rfc7671#section-8
  https://tools.ietf.org/html/rfc7671#section-5.1
  https://tools.ietf.org/html/rfc7671#section-5.2
  https://community.letsencrypt.org/t/please-avoid-3-0-1-and-3-0-2-dane-tlsa-records-with-le-certificates/7022
`);
  return true;
}

/** getopts with the given option letters; a bad option or a missing argument is a usage error. */
function options(args: readonly string[], spec: string, usage: string): { opts: Map<string, string>; rest: string[] } {
  const getopt = new Getopt(['postfix-tls-script', ...args], `:${spec}`);
  getopt.opterr = false;
  const opts = new Map<string, string>();
  for (let ch = getopt.next(); ch !== GETOPT_END; ch = getopt.next()) {
    if (ch === '?' || ch === ':') {
      fatal(usage);
      exit(1);
    }
    opts.set(ch, getopt.optarg ?? '');
  }
  return { opts, rest: args.slice(getopt.optind - 1) };
}

/** The key size or curve for an algorithm, or exit. */
function bitsFor(tls: Tls, algo: string, bits: string | undefined, what: string, empty: string): string {
  if (algo === '') {
    fatal(empty);
    exit(1);
  }
  if (algo === tls.rsa) return bits ?? RSA_BITS;
  if (algo === tls.ecdsa) return bits ?? EC_CURVE;
  fatal(`Unsupported ${what} key algorithm: ${algo}`);
  return exit(1);
}

function runCommand(tls: Tls, args: readonly string[]): void {
  const cmd = args[0] ?? '';
  const rest = args.slice(1);
  switch (cmd) {
    case 'enable-client': {
      const usage = `usage: postfix tls ${cmd} [-r devrandom]`;
      const { opts, rest: positional } = options(rest, 'r:', usage);
      if (positional.length > 0) {
        fatal(usage);
        exit(1);
      }
      if (!initRandomSource(tls, opts.get('r') ?? '') || !enableClient(tls)) exit(1);
      break;
    }
    case 'enable-server': {
      const { opts, rest: hosts } = options(rest, 'a:b:r:',
        `usage: postfix tls ${cmd} [-a algorithm] [-b bits ] [-r devrandom] [hostname ...]`);
      const algo = opts.get('a') ?? tls.defaultAlgorithm;
      const bits = bitsFor(tls, algo, opts.get('b'), 'private', 'Internal error: empty algorithm ');
      if (!initRandomSource(tls, opts.get('r') ?? '') || !enableServer(tls, algo, bits, hosts)) exit(1);
      break;
    }
    case 'new-server-key':
    case 'new-server-cert': {
      const { opts, rest: hosts } = options(rest, 'a:b:', `usage: postfix tls ${cmd} [-a algorithm] [-b bits ] [hostname ...]`);
      const algo = opts.get('a') ?? tls.defaultAlgorithm;
      const bits = cmd === 'new-server-key'
        ? bitsFor(tls, algo, opts.get('b'), 'public', 'Internal error: empty algorithm ')
        : bitsFor(tls, algo, opts.get('b'), 'private', 'Invalid empty key algorithm');
      let keyFile = '';
      if (cmd === 'new-server-cert') {
        // Re-use the current key, when there is one.
        keyFile = keyFileOf(tls, algo);
        if (keyFile !== '' && !isRegularFile(keyFile)) {
          warn(`Key file: ${keyFile} not found, creating new keys`);
          keyFile = '';
        }
      }
      if (!newServerCert(tls, algo, bits, keyFile, '', hosts)) exit(1);
      break;
    }
    case 'deploy-server-cert': {
      if (args.length !== 3) {
        fatal(`usage: postfix tls ${cmd} certfile keyfile`);
        exit(1);
      }
      // Relative names are relative to the configuration directory.
      const inConfig = (name: string) => (name.startsWith('/') ? name : `${tls.configDir}/${name}`);
      const certFile = inConfig(args[1]!);
      const keyFile = inConfig(args[2]!);
      if (!deployServerCert(tls, certFile, keyFile, '')) exit(1);
      info(infoServerDeployed('deploy'));
      break;
    }
    case 'output-server-csr': {
      const { opts, rest: hosts } = options(rest, 'k:', `usage: postfix tls ${cmd} [-k keyfile] [hostname ...]`);
      let keyFile = '';
      if (opts.has('k')) {
        keyFile = keyFileOf(tls, opts.get('k')!);
      } else {
        for (const algo of [tls.rsa, tls.ecdsa].filter((a) => a !== '')) {
          keyFile = keyFileOf(tls, algo);
          if (keyFile !== '') break;
        }
      }
      if (keyFile === '' || !isReadable(keyFile)) {
        fatal('No usable keyfile specified or configured');
        exit(1);
      }
      let names = hosts;
      if (names.length === 0) names = [fqdnOf(tls, undefined) ?? ''];
      const fqdn = fqdnOf(tls, names[0]);
      if (fqdn === undefined) exit(1);
      if (!opensslReq(tls, ['req', '-config', tls.stdin, '-new', '-key', keyFile, '-subj', '/'],
        reqConfig('req_extensions = v3', [fqdn!, ...names.slice(1)]))) exit(1);
      break;
    }
    case 'output-server-tlsa': {
      const { opts, rest: keys } = options(rest, 'h:', `usage: postfix tls ${cmd} [-h hostname] [keyfile ...]`);
      const fqdn = fqdnOf(tls, opts.get('h')) ?? '';
      // By default the keys that are in use.
      const specs = keys.length > 0 ? keys : [tls.rsa, tls.ecdsa].filter((a) => a !== '');
      let found = false;
      for (const spec of specs) {
        const keyFile = keyFileOf(tls, spec);
        if (keyFile === '') continue;
        out(`; ${keyFile}\n`);
        if (checkKey(tls, keyFile) === undefined) exit(1);
        const digest = pubkeyDigest(tls, keyFile);
        if (digest === undefined) exit(1);
        out(`_25._tcp.${fqdn}. IN TLSA 3 1 1 ${digest}\n`);
        found = true;
      }
      if (!found) {
        fatal('No usable keyfiles specified or configured');
        exit(1);
      }
      break;
    }
    case 'all-default-client':
    case 'all-default-server':
      if (rest.length > 0) {
        fatal(`usage: postfix tls ${cmd}`);
        exit(1);
      }
      if (!allDefault(tls, cmd === 'all-default-client' ? CLIENT_SETTINGS : SERVER_SETTINGS)) exit(1);
      break;
    default:
      log(MSG_ERROR, `unknown tls command: '${cmd}'`);
      fatal(`usage: postfix tls ${COMMANDS}`);
      exit(1);
  }
}

function tlsScript(argv: readonly string[]): void {
  const env = process.env;
  if (!env.daemon_directory) {
    writeAll(2, Buffer.from('This script must be run by the postfix command.\nDo not run directly.\n'));
    exit(1);
  }
  process.umask(0o022);
  const tag = `${env.MAIL_LOGTAG ?? ''}/postfix-tls-script`;
  if (isatty(2)) msgVstreamInit(tag, 2);
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  mailConfRead();
  maillogClientInit(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
  const commandDir = env.command_directory ?? '';
  if (!isDirectory(commandDir)) {
    toolError(`${argv[0]}: 273: cd: can't cd to ${commandDir}`);
    fatal(`no Postfix command directory '${commandDir}'`);
    exit(1);
  }
  process.chdir(commandDir);
  const tls: Tls = {
    configDir: env.config_directory ?? '', dataDir: env.data_directory ?? '', commandDir,
    postconf: `${commandDir}/postconf`, openssl: '', rsa: '', ecdsa: '', defaultAlgorithm: '', stdin: '/dev/stdin',
    tlsRandomSource: '',
  };
  // openssl_path comes from the default instance.
  postconfComplaints(tls.postconf, tls.configDir); // postconf -dh config_directory
  if (tls.configDir === DEF_CONFIG_DIR) {
    tls.openssl = paramX(tls, 'openssl_path');
  } else {
    tls.openssl = runPostconf(tls, ['-c', DEF_CONFIG_DIR, '-xh', 'openssl_path'], true)[1].replace(/\n+$/, '');
  }
  const version = tls.openssl === '' ? undefined : spawnSync(tls.openssl, ['version'], { stdio: 'ignore' });
  if (version === undefined || version.error !== undefined || version.status !== 0) {
    fatal(`No working openssl(1) command found with 'openssl_path = ${tls.openssl}'`);
    exit(1);
  }
  if (tls.configDir === '' || !isDirectory(tls.configDir)) {
    fatal(shellWords(`no Postfix configuration directory ${tls.configDir}!`).join(' '));
    exit(1);
  }
  // This build has TLS, with RSA and ECDSA keys (postconf -T compile-version, public-key-algorithms).
  tls.rsa = 'rsa';
  tls.ecdsa = 'ecdsa';
  if (openssl(tls, ['ecparam', '-name', 'secp256r1']).status !== 0) {
    warn(`Postfix supports ECDSA, but the ${tls.openssl} command does not. Consider
setting the openssl_path parameter to a more capable version of the
command-line utility than ${tls.openssl} (with PATH=${env.PATH ?? ''}).`);
    tls.ecdsa = '';
  }
  tls.defaultAlgorithm = tls.rsa;
  if (openssl(tls, ['dgst', '-binary', '-sha256']).stdout.toString('hex') !== NULL256) {
    writeAll(2, Buffer.from(`Your ${tls.openssl} does not support the SHA2-256 digest algorithm. To enable
'postfix tls', install an OpenSSL that does. Install its openssl(1) command
at /usr/local/bin/openssl or other suitable location, and set the
'openssl_path' parameter in ${DEF_CONFIG_DIR}/main.cf accordingly.
`, 'latin1'));
    fatal("No 'postfix tls' support when openssl(1) is obsolete");
    exit(1);
  }
  runCommand(tls, argv.slice(1));
}

export function main(argv: string[]): void {
  process.exitCode = runScript(() => tlsScript(argv));
}

if (isMainModule(import.meta.url)) main(programArgv());
