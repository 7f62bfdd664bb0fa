import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { parseBooleanVariable, splitList } from '@agentos/runtime';

const MIB = 1024 * 1024;

/** The io worker's tool settings, from the environment. */
export class WorkerIoConfig {
  /** The only folder fs.read and fs.write may touch. */
  @IsString()
  @MinLength(1)
  readonly IO_FS_ROOT: string = './data';

  @IsInt()
  @Min(1)
  @Max(512 * MIB)
  readonly IO_FS_MAX_READ_BYTES: number = 16 * MIB;

  @IsInt()
  @Min(1)
  @Max(512 * MIB)
  readonly IO_FS_MAX_WRITE_BYTES: number = 16 * MIB;

  /** Let http.request reach loopback, private and link-local addresses (never in production). */
  @IsBoolean()
  @Transform(parseBooleanVariable)
  readonly IO_HTTP_ALLOW_PRIVATE_NETWORKS: boolean = false;

  /** `host` or `host:port` entries http.request may reach even when private (e.g. an internal API). */
  @Transform(({ value }) => splitList(value))
  @Matches(/^[A-Za-z0-9.\-[\]:]+$/, { each: true })
  readonly IO_HTTP_ALLOWED_HOSTS: string[] = [];

  @IsInt()
  @Min(1)
  @Max(600_000)
  readonly IO_HTTP_MAX_TIMEOUT_MS: number = 30_000;

  @IsInt()
  @Min(1)
  @Max(256 * MIB)
  readonly IO_HTTP_MAX_RESPONSE_BYTES: number = 5 * MIB;

  @IsInt()
  @Min(0)
  @Max(10)
  readonly IO_HTTP_MAX_REDIRECTS: number = 0;
}
