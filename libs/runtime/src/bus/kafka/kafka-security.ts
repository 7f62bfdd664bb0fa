import { readFileSync } from 'node:fs';
import { ConnectionOptions, createSecureContext } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import { TransportConfig } from '../../config/transport.config';
import { ConfigError, TransportError } from '../../errors/agentos-error';

/** What kafkajs needs to reach secured brokers: its `ssl` and `sasl` client options. */
export interface KafkaSecurityOptions {
  readonly ssl?: ConnectionOptions;
  readonly sasl?: SASLOptions;
}

type PemVariable = 'KAFKA_SSL_CA_FILE' | 'KAFKA_SSL_CERT_FILE' | 'KAFKA_SSL_KEY_FILE';

/** What each PEM file must hold, checked by its `-----BEGIN ...-----` line. */
const PEM_CONTENT: Readonly<Record<PemVariable, { readonly label: RegExp; readonly expected: string }>> = {
  KAFKA_SSL_CA_FILE: { label: /-----BEGIN (TRUSTED )?CERTIFICATE-----/, expected: 'a PEM certificate (-----BEGIN CERTIFICATE-----)' },
  KAFKA_SSL_CERT_FILE: { label: /-----BEGIN CERTIFICATE-----/, expected: 'a PEM certificate (-----BEGIN CERTIFICATE-----)' },
  KAFKA_SSL_KEY_FILE: { label: /-----BEGIN (RSA |EC )?PRIVATE KEY-----/, expected: 'a PEM private key (-----BEGIN PRIVATE KEY-----)' },
};

/**
 * Builds the kafkajs `ssl` and `sasl` options from validated configuration, reading the PEM
 * files once, at start. Fails with a ConfigError naming each variable and path at fault (never
 * a file's contents, never the password): unreadable, not PEM, an encrypted key, or files
 * OpenSSL refuses together (a key that does not match its certificate).
 */
export function kafkaSecurityOptions(config: TransportConfig): KafkaSecurityOptions {
  return {
    ...(config.KAFKA_SSL ? { ssl: tlsOptions(config) } : {}),
    ...(config.KAFKA_SASL_MECHANISM ? { sasl: saslOptions(config) } : {}),
  };
}

function saslOptions(config: TransportConfig): SASLOptions {
  // Validation guarantees both with a mechanism; checked again so a hand-built config cannot slip through.
  if (config.KAFKA_SASL_USERNAME === undefined || config.KAFKA_SASL_PASSWORD === undefined) {
    throw new ConfigError('KAFKA_SASL_MECHANISM is set but KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is not');
  }
  return { mechanism: config.KAFKA_SASL_MECHANISM!, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD };
}

function tlsOptions(config: TransportConfig): ConnectionOptions {
  const problems: string[] = [];
  const read = (variable: PemVariable): Buffer | undefined => {
    const path = config[variable];
    if (path === undefined) return undefined;
    const result = readPem(variable, path);
    if ('pem' in result) return result.pem;
    problems.push(`${variable}: ${result.problem}`);
    return undefined;
  };
  const ca = read('KAFKA_SSL_CA_FILE');
  const cert = read('KAFKA_SSL_CERT_FILE');
  const key = read('KAFKA_SSL_KEY_FILE');
  if (problems.length > 0) throw tlsFilesError(problems, config);

  const options: ConnectionOptions = {
    rejectUnauthorized: config.KAFKA_SSL_REJECT_UNAUTHORIZED,
    ...(ca ? { ca } : {}),
    ...(cert && key ? { cert, key } : {}),
  };
  try {
    // What tls.connect would do on every connection: fail now, once, with the variables named.
    createSecureContext(options);
  } catch (error) {
    throw tlsFilesError([`OpenSSL refused them: ${openSslReason(error)}`], config);
  }
  return options;
}

/** The file's bytes, or why they cannot be used: a line naming the path, never the contents. */
function readPem(variable: PemVariable, path: string): { readonly pem: Buffer } | { readonly problem: string } {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    return { problem: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  // Only the armour lines are looked at: a key file's contents are secret.
  const text = pem.toString('latin1');
  if (variable === 'KAFKA_SSL_KEY_FILE' && (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || text.includes('Proc-Type: 4,ENCRYPTED'))) {
    return {
      problem: `${path} holds an encrypted private key; there is no passphrase setting, so decrypt it (openssl pkey -in <encrypted> -out <plain>) and keep that file private`,
    };
  }
  const { label, expected } = PEM_CONTENT[variable];
  return label.test(text) ? { pem } : { problem: `${path} does not hold ${expected}` };
}

function tlsFilesError(problems: readonly string[], config: TransportConfig): ConfigError {
  return new ConfigError(`unusable Kafka TLS files:\n  - ${problems.join('\n  - ')}`, {
    caFile: config.KAFKA_SSL_CA_FILE,
    certFile: config.KAFKA_SSL_CERT_FILE,
    keyFile: config.KAFKA_SSL_KEY_FILE,
  });
}

/** OpenSSL's reason ("key values mismatch"), without the library's error-queue prefix. */
function openSslReason(error: unknown): string {
  const { message, code } = error as NodeJS.ErrnoException;
  const reason = /:([^:]+)$/.exec(message.trim())?.[1]?.trim() ?? message;
  return code ? `${reason} (${code})` : reason;
}

// --- connection failures -------------------------------------------------------

/** Security failures have their own codes: retrying with the same settings cannot help. */
export type KafkaSecurityFailureCode = 'kafka_authentication_failed' | 'kafka_tls_failed';

/** A connection the brokers refused for its credentials or certificates. Never retriable. */
export class KafkaSecurityError extends TransportError {
  declare readonly code: KafkaSecurityFailureCode;

  constructor(code: KafkaSecurityFailureCode, message: string, context: Record<string, unknown>, cause?: unknown) {
    super(message, false, context, cause);
    this.code = code;
  }
}

/** Who connected, how: what a failure message may say (no password, no key). */
export interface KafkaClientIdentity {
  readonly brokers: readonly string[];
  readonly saslMechanism?: string;
  readonly saslUsername?: string;
  readonly ssl: boolean;
  readonly caFile?: string;
  readonly certFile?: string;
}

/** The identity a TransportConfig describes. */
export function kafkaClientIdentity(config: TransportConfig): KafkaClientIdentity {
  return {
    brokers: config.KAFKA_BROKERS,
    saslMechanism: config.KAFKA_SASL_MECHANISM,
    saslUsername: config.KAFKA_SASL_USERNAME,
    ssl: config.KAFKA_SSL,
    caFile: config.KAFKA_SSL_CA_FILE,
    certFile: config.KAFKA_SSL_CERT_FILE,
  };
}

/** Broker/OpenSSL verification failures of the broker's certificate (Node's error codes). */
const UNTRUSTED_BROKER_CERTIFICATE = /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_|CERT_|ERR_TLS_CERT_ALTNAME_INVALID)/;
/** The broker ended the handshake with an alert: usually it wanted (another) client certificate. */
const BROKER_TLS_ALERT = /^ERR_SSL_.*ALERT/;

/**
 * Says which security setting a failed Kafka connection points at, or returns the error as
 * it was. Rejected credentials and untrusted or refused certificates become non-retriable
 * KafkaSecurityErrors naming the mechanism, user and files, never the password; a broker that
 * hangs up on a client without SASL or TLS gets a hint that it may require them.
 */
export function explainKafkaConnectFailure(error: unknown, identity: KafkaClientIdentity): unknown {
  const chain = causeChain(error);
  const brokers = identity.brokers.join(',');
  const sasl = chain.find((link) => link.name === 'KafkaJSSASLAuthenticationError');
  if (sasl) {
    const mechanism = (identity.saslMechanism ?? 'unknown').toUpperCase();
    return new KafkaSecurityError(
      'kafka_authentication_failed',
      `Kafka authentication failed: ${brokers} rejected SASL ${mechanism} for user "${identity.saslUsername ?? ''}" ` +
        `(check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD): ${sasl.message}`,
      { brokers: identity.brokers, mechanism: identity.saslMechanism, username: identity.saslUsername },
      error,
    );
  }
  const tls = chain.find((link) => typeof link.code === 'string' && (UNTRUSTED_BROKER_CERTIFICATE.test(link.code) || link.code.startsWith('ERR_SSL_')));
  if (tls && identity.ssl) {
    const code = tls.code as string;
    const reason = tls.message.includes(':error:') ? code : `${tls.message.replace(/^Connection error: /, '')} (${code})`;
    const hint = UNTRUSTED_BROKER_CERTIFICATE.test(code)
      ? `the broker's certificate is not trusted: KAFKA_SSL_CA_FILE must name the CA that signed it (${identity.caFile ?? 'unset: the system CAs were used'})`
      : BROKER_TLS_ALERT.test(code)
        ? `the broker refused the handshake; if it requires a client certificate set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE (${identity.certFile ?? 'unset'})`
        : 'is that port a TLS listener?';
    return new KafkaSecurityError(
      'kafka_tls_failed',
      `Kafka TLS connection to ${brokers} failed: ${reason}; ${hint}`,
      { brokers: identity.brokers, tlsCode: code, caFile: identity.caFile, certFile: identity.certFile },
      error,
    );
  }
  const closed = chain.some((link) => link.name === 'KafkaJSConnectionClosedError');
  if (closed && (!identity.saslMechanism || !identity.ssl)) {
    const missing = [
      ...(identity.saslMechanism ? [] : ['authentication (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are not set)']),
      ...(identity.ssl ? [] : ['TLS (KAFKA_SSL is not true)']),
    ];
    return new TransportError(
      `could not connect to Kafka: ${brokers} closed the connection; it may require ${missing.join(' or ')}`,
      true,
      { brokers: identity.brokers },
      error,
    );
  }
  return error;
}

interface ErrorLink {
  readonly name: string;
  readonly message: string;
  readonly code?: unknown;
}

/** The error and what it wraps: `cause` (ours, Node's) and kafkajs's `originalError`. */
function causeChain(error: unknown): ErrorLink[] {
  const chain: ErrorLink[] = [];
  const seen = new Set<unknown>();
  let link: unknown = error;
  while (link instanceof Error && !seen.has(link) && chain.length < 10) {
    seen.add(link);
    chain.push(link as ErrorLink);
    const { cause, originalError } = link as Error & { originalError?: unknown };
    link = cause ?? originalError;
  }
  return chain;
}
