import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kafkajs from 'kafkajs';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { loadConfig } from '../../config/load-config';
import { TransportConfig } from '../../config/transport.config';
import { ConfigError, TransportError } from '../../errors/agentos-error';
import { explainKafkaConnectFailure, KafkaClientIdentity, kafkaClientIdentity, KafkaSecurityError, kafkaSecurityOptions } from './kafka-security';

/** kafkajs's typings declare no constructor arguments; at run time it takes the message like its other errors. */
const SaslAuthenticationError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

const KAFKA = { AGENTOS_TRANSPORT: 'kafka', KAFKA_BROKERS: '127.0.0.1:19640' } as const;
const PASSWORD = 'pa55-w0rd-secret';

/** Runs kafkaSecurityOptions expecting a ConfigError; returns its message. */
function securityError(env: NodeJS.ProcessEnv): string {
  const config = loadConfig(TransportConfig, env);
  try {
    kafkaSecurityOptions(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected kafkaSecurityOptions to throw a ConfigError');
}

describe('kafkaSecurityOptions', () => {
  let dir: string;
  /** Real PEM files made by openssl: a CA, a client certificate signed by it and its key, and a stranger's key. */
  const pem = { ca: '', cert: '', key: '', otherKey: '' };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentos-kafka-security-'));
    const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=client', '-keyout', 'client.key', '-out', 'client.csr');
    openssl('x509', '-req', '-days', '2', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'other.key');
    Object.assign(pem, { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key'), otherKey: join(dir, 'other.key') });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('configures neither SASL nor TLS by default', () => {
    expect(kafkaSecurityOptions(loadConfig(TransportConfig, KAFKA))).toEqual({});
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('passes the %s mechanism and its credentials to kafkajs', (mechanism) => {
    const config = loadConfig(TransportConfig, { ...KAFKA, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'agentos', KAFKA_SASL_PASSWORD: PASSWORD });
    expect(kafkaSecurityOptions(config)).toEqual({ sasl: { mechanism, username: 'agentos', password: PASSWORD } });
  });

  it('turns TLS on with the system CAs and verification when no file is named', () => {
    expect(kafkaSecurityOptions(loadConfig(TransportConfig, { ...KAFKA, KAFKA_SSL: 'true' }))).toEqual({ ssl: { rejectUnauthorized: true } });
    expect(kafkaSecurityOptions(loadConfig(TransportConfig, { ...KAFKA, KAFKA_SSL: 'true', KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' }))).toEqual({
      ssl: { rejectUnauthorized: false },
    });
  });

  it('reads the CA, the client certificate and its key once, at start, alongside SASL', () => {
    const config = loadConfig(TransportConfig, {
      ...KAFKA,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: pem.ca,
      KAFKA_SSL_CERT_FILE: pem.cert,
      KAFKA_SSL_KEY_FILE: pem.key,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'agentos',
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    const { ssl, sasl } = kafkaSecurityOptions(config);
    expect(ssl).toEqual({ rejectUnauthorized: true, ca: readFileSync(pem.ca), cert: readFileSync(pem.cert), key: readFileSync(pem.key) });
    expect(sasl).toEqual({ mechanism: 'scram-sha-512', username: 'agentos', password: PASSWORD });
  });

  it('names the variable and the path of a file that does not exist or is a directory', () => {
    const message = securityError({ ...KAFKA, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: join(dir, 'missing.pem'), KAFKA_SSL_CERT_FILE: dir, KAFKA_SSL_KEY_FILE: pem.key });
    expect(message).toContain(`KAFKA_SSL_CA_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`);
    expect(message).toContain(`KAFKA_SSL_CERT_FILE: cannot read ${dir} (EISDIR)`);
  });

  it('rejects files that are not PEM without quoting them, and lists every bad file at once', () => {
    const notPem = join(dir, 'not-pem.key');
    writeFileSync(notPem, 'TOP-SECRET-KEY-MATERIAL\n');
    const message = securityError({ ...KAFKA, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: pem.key, KAFKA_SSL_CERT_FILE: pem.cert, KAFKA_SSL_KEY_FILE: notPem });
    expect(message.split('\n')).toEqual([
      'unusable Kafka TLS files:',
      `  - KAFKA_SSL_CA_FILE: ${pem.key} does not hold a PEM certificate (-----BEGIN CERTIFICATE-----)`,
      `  - KAFKA_SSL_KEY_FILE: ${notPem} does not hold a PEM private key (-----BEGIN PRIVATE KEY-----)`,
    ]);
    expect(message).not.toContain('TOP-SECRET');
  });

  it('says an encrypted key needs decrypting, since there is no passphrase setting', () => {
    const encrypted = join(dir, 'encrypted.key');
    execFileSync('openssl', ['pkcs8', '-topk8', '-in', pem.key, '-out', encrypted, '-passout', 'pass:key-passphrase'], { stdio: 'pipe' });
    const message = securityError({ ...KAFKA, KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: pem.cert, KAFKA_SSL_KEY_FILE: encrypted });
    expect(message).toContain(`KAFKA_SSL_KEY_FILE: ${encrypted} holds an encrypted private key; there is no passphrase setting, so decrypt it`);
  });

  it('fails at start when the key does not belong to the certificate, naming the files and not their contents', () => {
    const message = securityError({ ...KAFKA, KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: pem.cert, KAFKA_SSL_KEY_FILE: pem.otherKey });
    expect(message).toMatch(/^unusable Kafka TLS files:\n {2}- OpenSSL refused them: key values mismatch/);
    const otherKeyBody = readFileSync(pem.otherKey, 'utf8').split('\n')[1]!;
    expect(message).not.toContain(otherKeyBody);
  });

  it('puts the file paths, not their contents, in the error context', () => {
    try {
      kafkaSecurityOptions(loadConfig(TransportConfig, { ...KAFKA, KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: pem.cert, KAFKA_SSL_KEY_FILE: join(dir, 'gone.key') }));
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toMatchObject({ code: 'config_invalid', retriable: false, context: { certFile: pem.cert, keyFile: join(dir, 'gone.key') } });
    }
  });

  it('reads a CA file holding several certificates (a bundle)', () => {
    const bundle = join(dir, 'bundle.pem');
    writeFileSync(bundle, Buffer.concat([readFileSync(pem.ca), readFileSync(pem.cert)]));
    const { ssl } = kafkaSecurityOptions(loadConfig(TransportConfig, { ...KAFKA, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: bundle }));
    expect(ssl?.ca).toEqual(readFileSync(bundle));
  });
});

describe('explainKafkaConnectFailure', () => {
  const identity: KafkaClientIdentity = {
    brokers: ['127.0.0.1:19640'],
    saslMechanism: 'scram-sha-512',
    saslUsername: 'agentos',
    ssl: true,
    caFile: '/etc/kafka/ca.pem',
    certFile: undefined,
  };
  /** What KafkaBus.connect throws around a kafkajs failure. */
  const wrapped = (cause: Error): TransportError => new TransportError(`could not connect to Kafka: ${cause.message}`, true, {}, cause);

  it('turns rejected credentials into a non-retriable authentication failure naming mechanism and user', () => {
    const rejected = new SaslAuthenticationError(
      'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    );
    const error = explainKafkaConnectFailure(wrapped(rejected), identity);
    expect(error).toBeInstanceOf(KafkaSecurityError);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({
      code: 'kafka_authentication_failed',
      retriable: false,
      context: { brokers: ['127.0.0.1:19640'], mechanism: 'scram-sha-512', username: 'agentos' },
    });
    expect((error as Error).message).toBe(
      'Kafka authentication failed: 127.0.0.1:19640 rejected SASL SCRAM-SHA-512 for user "agentos" (check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD): ' +
        rejected.message,
    );
    expect((error as Error).cause).toBeInstanceOf(TransportError);
  });

  it("says the broker's certificate is untrusted and which CA file was used, after kafkajs gave up retrying", () => {
    const connection = new KafkaJSConnectionError('Connection error: self-signed certificate in certificate chain', { code: 'SELF_SIGNED_CERT_IN_CHAIN' } as never);
    const exhausted = new KafkaJSNumberOfRetriesExceeded(connection, { retryCount: 5, retryTime: 4_000 });
    const error = explainKafkaConnectFailure(wrapped(exhausted), identity);
    expect(error).toMatchObject({ code: 'kafka_tls_failed', retriable: false, context: { tlsCode: 'SELF_SIGNED_CERT_IN_CHAIN', caFile: '/etc/kafka/ca.pem' } });
    expect((error as Error).message).toBe(
      'Kafka TLS connection to 127.0.0.1:19640 failed: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN); ' +
        "the broker's certificate is not trusted: KAFKA_SSL_CA_FILE must name the CA that signed it (/etc/kafka/ca.pem)",
    );
  });

  it('points at the client certificate when the broker ends the handshake with an alert, without OpenSSL noise', () => {
    const alert = new KafkaJSConnectionError(
      'Connection error: 800CA684FC7E0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n',
      { code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' } as never,
    );
    const error = explainKafkaConnectFailure(wrapped(alert), identity);
    expect((error as Error).message).toBe(
      'Kafka TLS connection to 127.0.0.1:19640 failed: ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE; ' +
        'the broker refused the handshake; if it requires a client certificate set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE (unset)',
    );
  });

  it('asks whether the port speaks TLS for other TLS errors', () => {
    const wrongVersion = new KafkaJSConnectionError('Connection error: wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' } as never);
    expect((explainKafkaConnectFailure(wrapped(wrongVersion), identity) as Error).message).toMatch(/failed: wrong version number \(ERR_SSL_WRONG_VERSION_NUMBER\); is that port a TLS listener\?$/);
  });

  it('hints at missing authentication and TLS when the broker hangs up on a client that has neither', () => {
    const ClosedError = (kafkajs as unknown as Record<string, new (message: string, details: object) => Error>).KafkaJSConnectionClosedError!;
    const closed = new ClosedError('Closed connection', { host: '127.0.0.1', port: 19640 });
    const error = explainKafkaConnectFailure(wrapped(closed), { brokers: ['127.0.0.1:19640'], ssl: false });
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'transport_failed', retriable: true });
    expect((error as Error).message).toBe(
      'could not connect to Kafka: 127.0.0.1:19640 closed the connection; it may require authentication ' +
        '(KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are not set) or TLS (KAFKA_SSL is not true)',
    );
    // With SASL and TLS both on there is nothing to suggest: the error stays as it was.
    const original = wrapped(closed);
    expect(explainKafkaConnectFailure(original, identity)).toBe(original);
  });

  it('leaves every other failure as it was', () => {
    const refused = wrapped(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:19640', { code: 'ECONNREFUSED' } as never));
    expect(explainKafkaConnectFailure(refused, identity)).toBe(refused);
    expect(explainKafkaConnectFailure('not even an error', identity)).toBe('not even an error');
  });

  it('describes a TransportConfig without its password', () => {
    const config = loadConfig(TransportConfig, { ...KAFKA, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'agentos', KAFKA_SASL_PASSWORD: PASSWORD });
    const described = kafkaClientIdentity(config);
    expect(described).toEqual({ brokers: ['127.0.0.1:19640'], saslMechanism: 'plain', saslUsername: 'agentos', ssl: false, caFile: undefined, certFile: undefined });
    expect(JSON.stringify(described)).not.toContain(PASSWORD);
  });
});
