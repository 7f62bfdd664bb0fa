import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AddressInfo } from 'node:net';
import { OpsDependencies } from './ops-dependencies';
import { OpsModule } from './ops.module';

export interface OpsServerOptions extends OpsDependencies {
  readonly host: string;
  /** 0 picks a free port (tests); services start no server at all when OPS_HTTP_PORT is 0. */
  readonly port: number;
  /** The process's logger; when absent, whatever logger Nest already has. */
  readonly logger?: LoggerService;
}

/** A running ops server. */
export interface OpsServer {
  /** Where it listens: the port the OS chose when asked for 0. */
  readonly host: string;
  readonly port: number;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Starts the ops HTTP server of a service process (GET /health/live, /health/ready, /metrics):
 * a small NestJS HTTP application next to the service's bus microservice, listening on
 * `host:port` only. Adds the default process metrics to the registry it serves.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { host, port, logger, ...dependencies } = options;
  dependencies.metrics.includeProcessMetrics();
  const app: INestApplication = await NestFactory.create(OpsModule.forRoot(dependencies), {
    // Absent: whatever logger the process has (Nest replaces the global one when given any).
    ...(logger ? { logger } : {}),
    abortOnError: false,
    // A scraper's keep-alive connection must not hold the shutdown up.
    forceCloseConnections: true,
  });
  try {
    await app.listen(port, host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  return { host, port: address.port, close: () => app.close() };
}
