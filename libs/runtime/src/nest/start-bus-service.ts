import { INestMicroservice, LoggerService, LogLevel, Type, DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessageBus, SubscriptionOptions } from '../bus/message-bus';
import { BusTransportStrategy } from './bus-transport.strategy';

export interface BusServiceOptions {
  readonly module: Type<unknown> | DynamicModule;
  readonly bus: MessageBus;
  readonly subscriptions: readonly SubscriptionOptions[];
  readonly logLevels?: LogLevel[];
  /** The process's logger (a standalone service's JSON or text logger); takes precedence over `logLevels`. */
  readonly logger?: LoggerService;
  /** Close the bus when the service closes (a standalone service process); false when services share it. */
  readonly ownsBus?: boolean;
}

/**
 * Starts one AgentOS service as a NestJS microservice on the given bus: its controllers'
 * `@EventPattern` handlers receive the subscribed messages. Closing the app drains its
 * in-flight handlers (see runStandaloneService for signals).
 */
export async function startBusService(options: BusServiceOptions): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(options.module, {
    strategy: new BusTransportStrategy(options.bus, options.subscriptions, options.ownsBus ?? false),
    logger: options.logger ?? options.logLevels ?? ['log', 'warn', 'error', 'fatal'],
    bufferLogs: false,
  });
  await app.listen();
  return app;
}
