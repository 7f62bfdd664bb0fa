import { IsBoundedJson, JsonObject, JsonValue } from '@agentos/contracts';
import { IsOptional, IsString, Length } from 'class-validator';
import { HasIdentifierKeys } from '../shared/identifier-keys.decorator';

export const MAX_EXPRESSION_LENGTH = 10_000;
export const MAX_BINDINGS = 100;

export class JsonataInput {
  @IsString()
  @Length(1, MAX_EXPRESSION_LENGTH)
  readonly expression!: string;

  /** The document the expression queries (`$`); any JSON, `null` included. */
  @IsBoundedJson()
  readonly data!: JsonValue;

  /** Variables the expression reads as `$name`. */
  @IsOptional()
  @IsBoundedJson({ objectOnly: true })
  @HasIdentifierKeys(MAX_BINDINGS)
  readonly bindings?: JsonObject;
}

export class JsonataOutput {
  /** What the expression evaluated to; `null` when it matched nothing. */
  @IsBoundedJson()
  readonly result!: JsonValue;
}
