import { Transform } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
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

/** How a process reaches its bus: `in-process` (embedded) or `kafka`. Read from the environment. */
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

  /** How long a stopping process may drain in-flight work before it gives up (exit 1). */
  @IsInt()
  @Min(0)
  @Max(600_000)
  readonly AGENTOS_SHUTDOWN_GRACE_MS: number = 30_000;
}
