import { DynamicModule, Global, Module } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { MessageBus } from '../bus/message-bus';
import { MESSAGE_BUS, TOPIC_REGISTRY } from './bus.tokens';

/**
 * Makes the process's bus and topic registry injectable. The bus is built once per process
 * (outside Nest, because the transport strategy needs it too) and shared by every service
 * module in it: one in the distributed deployment, three in the embedded one.
 */
@Global()
@Module({})
export class BusModule {
  static forRoot(bus: MessageBus, registry: TopicRegistry): DynamicModule {
    return {
      module: BusModule,
      providers: [
        { provide: MESSAGE_BUS, useValue: bus },
        { provide: TOPIC_REGISTRY, useValue: registry },
      ],
      exports: [MESSAGE_BUS, TOPIC_REGISTRY],
    };
  }
}
