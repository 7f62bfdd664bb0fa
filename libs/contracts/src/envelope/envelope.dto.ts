import { Equals, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ID_PATTERN, LIMITS } from '../limits';
import { Envelope, SCHEMA_VERSION } from './envelope';
import { IsTimestamp } from './is-timestamp.decorator';
import { MessageKind } from './message-kind';

/** Validation of the envelope; each message DTO extends it and pins `kind`. */
export abstract class EnvelopeDto<K extends MessageKind> implements Envelope<K> {
  @Equals(SCHEMA_VERSION)
  readonly schemaVersion!: typeof SCHEMA_VERSION;

  @IsUUID()
  readonly id!: string;

  abstract readonly kind: K;

  @IsString()
  @Matches(ID_PATTERN)
  readonly goalId!: string;

  @IsString()
  @MaxLength(LIMITS.maxIdLength * 2)
  readonly correlationId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.maxIdLength * 2)
  readonly causationId?: string;

  @IsTimestamp()
  readonly createdAt!: string;
}
