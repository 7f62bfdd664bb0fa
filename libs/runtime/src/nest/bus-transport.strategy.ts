import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { Delivery, MessageBus, Subscription, SubscriptionOptions } from '../bus/message-bus';
import { BusContext } from './bus-context';

export const BUS_TRANSPORT_ID = Symbol('agentos-bus');

/**
 * Lets a NestJS microservice consume an AgentOS MessageBus with the usual idioms:
 * `@EventPattern('task')` handlers in controllers, one pattern per message kind. The same
 * service code runs on the in-process bus or on Kafka, chosen by configuration.
 *
 * Unlike Nest's built-in transports, a handler's failure is not swallowed: the bus sees it
 * and delivers the record again (at-least-once), so handlers must be idempotent.
 */
export class BusTransportStrategy extends Server implements CustomTransportStrategy {
  override readonly transportId = BUS_TRANSPORT_ID;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly bus: MessageBus,
    private readonly subscriptionOptions: readonly SubscriptionOptions[],
    /** Close the bus with the service: true when the service is the process's only user of it. */
    private readonly ownsBus = false,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.bus.connect();
      for (const options of this.subscriptionOptions) {
        this.subscriptions.push(await this.bus.subscribe(options, (delivery) => this.dispatch(delivery)));
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    const subscriptions = this.subscriptions.splice(0);
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    if (this.ownsBus) await this.bus.close();
  }

  on(): never {
    throw new Error('the AgentOS bus transport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private async dispatch(delivery: Delivery): Promise<void> {
    const handler = this.getHandlerByPattern(delivery.message.kind);
    if (!handler) {
      this.logger.warn?.(`no handler for ${delivery.message.kind} messages from ${delivery.topic}; record acknowledged`);
      return;
    }
    const result: unknown = await handler(delivery.message, new BusContext([delivery]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
