import { inspect } from 'node:util';
import { Transform } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { parseBooleanVariable, splitList } from './load-config';

/** The heartbeat must come well within the session timeout, or the broker drops the member between beats. */
@ValidatorConstraint({ name: 'heartbeatBelowSessionTimeout' })
class HeartbeatBelowSessionTimeout implements ValidatorConstraintInterface {
  validate(heartbeatMs: unknown, { object }: ValidationArguments): boolean {
    const sessionTimeoutMs = (object as TransportConfig).KAFKA_SESSION_TIMEOUT_MS;
    return typeof heartbeatMs === 'number' && typeof sessionTimeoutMs === 'number' && heartbeatMs < sessionTimeoutMs;
  }

  defaultMessage({ object }: ValidationArguments): string {
    return `KAFKA_HEARTBEAT_INTERVAL_MS must be below KAFKA_SESSION_TIMEOUT_MS (${String((object as TransportConfig).KAFKA_SESSION_TIMEOUT_MS)})`;
  }
}

/**
 * `@Validate(RequiresVariable, ['OTHER'], { message })` on an optional variable: it may only be
 * set together with OTHER. Messages name variables, never values (some are secrets).
 */
@ValidatorConstraint({ name: 'requiresVariable' })
class RequiresVariable implements ValidatorConstraintInterface {
  validate(_value: unknown, { object, constraints }: ValidationArguments): boolean {
    return (object as Record<string, unknown>)[constraints[0] as string] !== undefined;
  }

  defaultMessage({ property, constraints }: ValidationArguments): string {
    return `${property} is set but ${String(constraints[0])} is not`;
  }
}

/** A TLS file given while TLS is off would be silently ignored: reject it instead. */
@ValidatorConstraint({ name: 'needsKafkaSsl' })
class NeedsKafkaSsl implements ValidatorConstraintInterface {
  validate(_value: unknown, { object }: ValidationArguments): boolean {
    return (object as TransportConfig).KAFKA_SSL === true;
  }

  defaultMessage({ property }: ValidationArguments): string {
    return `${property} is set but KAFKA_SSL is not true, so it would be ignored: set KAFKA_SSL=true or unset ${property}`;
  }
}

const isKafka = (config: TransportConfig): boolean => config.AGENTOS_TRANSPORT === 'kafka';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
/** How a client authenticates to the brokers (SASL); kafkajs's own names. */
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * How a process reaches its bus: `in-process` (embedded) or `kafka`. Read from the environment.
 * `KAFKA_SASL_PASSWORD` is a secret: serialising or inspecting the config shows it redacted.
 */
export class TransportConfig {
  @IsIn(['in-process', 'kafka'])
  readonly AGENTOS_TRANSPORT: 'in-process' | 'kafka' = 'kafka';

  /** Comma-separated `host:port` list; required for kafka. */
  @ValidateIf((config: TransportConfig) => config.AGENTOS_TRANSPORT === 'kafka')
  @Transform(({ value }) => splitList(value))
  @ArrayMinSize(1, { message: 'KAFKA_BROKERS must name at least one broker (host:port,...) when AGENTOS_TRANSPORT=kafka' })
  @Matches(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, { each: true, message: 'each of KAFKA_BROKERS must be host:port' })
  readonly KAFKA_BROKERS: string[] = [];

  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,128}$/)
  readonly KAFKA_CLIENT_ID: string = 'agentos';

  @IsInt()
  @Min(1)
  @Max(10)
  readonly KAFKA_REPLICATION_FACTOR: number = 1;

  @IsBoolean()
  @Transform(parseBooleanVariable)
  readonly KAFKA_CREATE_TOPICS: boolean = true;

  /**
   * How long the group waits for a silent member before giving its partitions to the others.
   * The broker accepts only its group.min/max.session.timeout.ms range (6 s to 30 min by default).
   */
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  readonly KAFKA_SESSION_TIMEOUT_MS: number = 30_000;

  /** How often a consumer tells the group it is alive; below the session timeout (a third of it is usual). */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  @Validate(HeartbeatBelowSessionTimeout)
  readonly KAFKA_HEARTBEAT_INTERVAL_MS: number = 3_000;

  /** Prefix of every topic name: isolates tenants or test runs sharing a cluster. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)
  readonly AGENTOS_TOPIC_NAMESPACE?: string;

  /** Worker types whose task topics exist. */
  @Transform(({ value }) => splitList(value))
  @ArrayMinSize(1)
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { each: true })
  readonly AGENTOS_WORKER_TYPES: string[] = ['io', 'logic'];

  @IsInt()
  @Min(1)
  @Max(1_000)
  readonly AGENTOS_GOAL_PARTITIONS: number = 12;

  @IsInt()
  @Min(1)
  @Max(1_000)
  readonly AGENTOS_TASK_PARTITIONS: number = 12;

  /** SASL authentication to the brokers (unset: none). Case-insensitive: `SCRAM-SHA-512` is accepted too. */
  @ValidateIf((config: TransportConfig) => isKafka(config) && config.KAFKA_SASL_MECHANISM !== undefined)
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(KAFKA_SASL_MECHANISMS, { message: `KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
  readonly KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;

  @ValidateIf((config: TransportConfig) => isKafka(config) && (config.KAFKA_SASL_MECHANISM !== undefined || config.KAFKA_SASL_USERNAME !== undefined))
  @IsDefined({ message: 'KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set' })
  @IsString()
  @MaxLength(256)
  @Validate(RequiresVariable, ['KAFKA_SASL_MECHANISM'], {
    message: `KAFKA_SASL_USERNAME is set but KAFKA_SASL_MECHANISM is not: set it to ${KAFKA_SASL_MECHANISMS.join(', ')} or unset the credentials`,
  })
  readonly KAFKA_SASL_USERNAME?: string;

  /** Secret: never logged, never in an error message, redacted by toJSON and inspect. */
  @ValidateIf((config: TransportConfig) => isKafka(config) && (config.KAFKA_SASL_MECHANISM !== undefined || config.KAFKA_SASL_PASSWORD !== undefined))
  @IsDefined({ message: 'KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set' })
  @IsString({ message: 'KAFKA_SASL_PASSWORD must be a string' })
  @MaxLength(1_024, { message: 'KAFKA_SASL_PASSWORD must be at most 1024 characters' })
  @Validate(RequiresVariable, ['KAFKA_SASL_MECHANISM'], {
    message: `KAFKA_SASL_PASSWORD is set but KAFKA_SASL_MECHANISM is not: set it to ${KAFKA_SASL_MECHANISMS.join(', ')} or unset the credentials`,
  })
  readonly KAFKA_SASL_PASSWORD?: string;

  /** TLS to the brokers; the broker's certificate is checked against the system CAs, or KAFKA_SSL_CA_FILE. */
  @IsBoolean()
  @Transform(parseBooleanVariable)
  readonly KAFKA_SSL: boolean = false;

  /** PEM file of the CA(s) that signed the brokers' certificates (replaces the system CAs). */
  @ValidateIf((config: TransportConfig) => isKafka(config) && config.KAFKA_SSL_CA_FILE !== undefined)
  @IsString()
  @MaxLength(4_096)
  @Validate(NeedsKafkaSsl)
  readonly KAFKA_SSL_CA_FILE?: string;

  /** PEM file of this client's certificate, for brokers that require mutual TLS; with KAFKA_SSL_KEY_FILE. */
  @ValidateIf((config: TransportConfig) => isKafka(config) && config.KAFKA_SSL_CERT_FILE !== undefined)
  @IsString()
  @MaxLength(4_096)
  @Validate(NeedsKafkaSsl)
  @Validate(RequiresVariable, ['KAFKA_SSL_KEY_FILE'], {
    message: 'KAFKA_SSL_CERT_FILE is set but KAFKA_SSL_KEY_FILE is not: a client certificate needs its private key',
  })
  readonly KAFKA_SSL_CERT_FILE?: string;

  /** PEM file of the private key (unencrypted) of KAFKA_SSL_CERT_FILE. */
  @ValidateIf((config: TransportConfig) => isKafka(config) && config.KAFKA_SSL_KEY_FILE !== undefined)
  @IsString()
  @MaxLength(4_096)
  @Validate(NeedsKafkaSsl)
  @Validate(RequiresVariable, ['KAFKA_SSL_CERT_FILE'], {
    message: 'KAFKA_SSL_KEY_FILE is set but KAFKA_SSL_CERT_FILE is not: a private key is only used with its client certificate',
  })
  readonly KAFKA_SSL_KEY_FILE?: string;

  /** Verify the broker's certificate (chain and host name). Turn off only to debug. */
  @IsBoolean()
  @Transform(parseBooleanVariable)
  readonly KAFKA_SSL_REJECT_UNAUTHORIZED: boolean = true;

  /** How long a stopping process may drain in-flight work before it gives up (exit 1). */
  @IsInt()
  @Min(0)
  @Max(600_000)
  readonly AGENTOS_SHUTDOWN_GRACE_MS: number = 30_000;

  /** Keeps the SASL password out of logs that serialise the config. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = Object.fromEntries(Object.entries(this));
    if (this.KAFKA_SASL_PASSWORD !== undefined) fields.KAFKA_SASL_PASSWORD = '[redacted]';
    return fields;
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}
