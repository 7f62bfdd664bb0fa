import { isIP } from 'node:net';
import { IsInt, IsString, Max, Min, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** What `server.listen` accepts as a host: an IPv4 or IPv6 address (`0.0.0.0`, `::`) or a host name. */
@ValidatorConstraint({ name: 'listenHost' })
class ListenHost implements ValidatorConstraintInterface {
  validate(host: unknown): boolean {
    return typeof host === 'string' && (isIP(host) !== 0 || HOST_NAME.test(host));
  }

  defaultMessage(): string {
    return 'OPS_HTTP_HOST must be a host name or an IP address (0.0.0.0, ::, 127.0.0.1, ...), without a scheme or port';
  }
}

/**
 * The ops HTTP server of a service process (GET /health/live, /health/ready, /metrics). Off by
 * default, so embedded runs and tests open no port; containers set OPS_HTTP_PORT=9464 and
 * OPS_HTTP_HOST=0.0.0.0.
 */
export class OpsConfig {
  /** Port to listen on; 0 (the default) starts no listener at all. */
  @IsInt()
  @Min(0)
  @Max(65_535)
  readonly OPS_HTTP_PORT: number = 0;

  /** Address to bind: loopback by default, so only the host itself can scrape unless told otherwise. */
  @IsString()
  @Validate(ListenHost)
  readonly OPS_HTTP_HOST: string = '127.0.0.1';
}
