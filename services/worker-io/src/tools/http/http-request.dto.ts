import { IsBoundedJson, JsonObject, JsonValue, LIMITS } from '@agentos/contracts';
import { DtoClass } from '@agentos/worker-kit';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsHeaderRecord } from './is-header-record.decorator';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const RESPONSE_TYPES = ['text', 'json'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

export const MAX_URL_LENGTH = 8192;
const REQUEST_HEADER_LIMITS = { maxEntries: 64, maxNameLength: 256, maxValueLength: 8192 };
// Node's parser caps response headers at 16 KiB in total, so these never bind in practice.
const RESPONSE_HEADER_LIMITS = { maxEntries: 2000, maxNameLength: 16_384, maxValueLength: 16_384 };

export interface HttpRequestInput {
  readonly url: string;
  readonly method?: HttpMethod;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly json?: JsonObject;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  readonly responseType?: ResponseType;
}

export interface HttpRequestLimits {
  readonly maxTimeoutMs: number;
  readonly maxResponseBytes: number;
}

/** The input DTO carries the configured limits, so validation (and any generated schema) states them. */
export function httpRequestInputDto(limits: HttpRequestLimits): DtoClass<HttpRequestInput> {
  class HttpRequestInputDto implements HttpRequestInput {
    @IsString()
    @Length(1, MAX_URL_LENGTH)
    @Matches(/^https?:\/\//i, { message: '$property must be an http:// or https:// URL' })
    readonly url!: string;

    @IsOptional()
    @IsIn(HTTP_METHODS)
    readonly method?: HttpMethod;

    /** Host, hop-by-hop headers, Content-Length and Idempotency-Key are set by the tool. */
    @IsOptional()
    @IsHeaderRecord(REQUEST_HEADER_LIMITS)
    readonly headers?: Record<string, string>;

    /** Sent as UTF-8. Exclusive with `json`. */
    @IsOptional()
    @IsString()
    @MaxLength(LIMITS.maxMessageBytes)
    readonly body?: string;

    /** Sent as application/json. Exclusive with `body`. */
    @IsOptional()
    @IsBoundedJson({ objectOnly: true })
    readonly json?: JsonObject;

    @IsOptional()
    @IsInt()
    @Min(1)
    @Max(limits.maxTimeoutMs)
    readonly timeoutMs?: number;

    @IsOptional()
    @IsInt()
    @Min(1)
    @Max(limits.maxResponseBytes)
    readonly maxResponseBytes?: number;

    /** Default: json when the response's Content-Type is JSON, text otherwise. */
    @IsOptional()
    @IsIn(RESPONSE_TYPES)
    readonly responseType?: ResponseType;
  }
  return HttpRequestInputDto;
}

export class HttpRequestOutput {
  @IsInt()
  @Min(100)
  @Max(599)
  readonly status!: number;

  /** Lowercase names; repeated headers joined with ", ". */
  @IsHeaderRecord(RESPONSE_HEADER_LIMITS)
  readonly headers!: Record<string, string>;

  /** Parsed JSON, or the text. */
  @IsBoundedJson()
  readonly body!: JsonValue;

  @IsInt()
  @Min(0)
  readonly bytes!: number;
}
