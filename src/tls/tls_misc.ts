/*
 * tls_misc - facts about the TLS library: its version and public-key algorithms.
 * Counterpart: the tls_compile_version(), tls_run_version() and tls_pkey_algorithms()
 * parts of postfix/src/tls/tls_misc.c. Our TLS library is the OpenSSL that Node runs
 * with, built in or shared; we ask it for its version text through the process's own
 * symbols.
 */
import { createRequire } from 'node:module';
import { generateKeyPairSync } from 'node:crypto';

let versionText: string | undefined;

/** Postfix: tls_run_version(): OpenSSL_version(OPENSSL_VERSION), from the process itself. */
export function tlsRunVersion(): string {
  if (versionText !== undefined) return versionText;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    // The process's own symbols: Node's built-in OpenSSL, or the shared libcrypto it uses.
    versionText = koffi.load(null as unknown as string).func('const char *OpenSSL_version(int type)')(0) as string;
  } catch {
    versionText = `OpenSSL ${process.versions.openssl}`;
  }
  return versionText;
}

/** Postfix: tls_compile_version(). We are not compiled against headers: the same as above. */
export function tlsCompileVersion(): string {
  return tlsRunVersion();
}

/** Postfix: tls_pkey_algorithms(): those of dsa, ecdsa and rsa that the library supports. */
export function tlsPkeyAlgorithms(): string[] {
  const works = (make: () => unknown) => {
    try {
      make();
      return true;
    } catch {
      return false;
    }
  };
  return [
    ...(works(() => generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 })) ? ['dsa'] : []),
    ...(works(() => generateKeyPairSync('ec', { namedCurve: 'prime256v1' })) ? ['ecdsa'] : []),
    'rsa',
  ];
}
