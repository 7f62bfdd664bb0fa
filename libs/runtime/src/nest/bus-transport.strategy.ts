import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
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
  /**
   * Handlers by message kind, resolved once: Nest's getHandlerByPattern first tries
   * JSON.parse on the pattern, which throws for a plain string like "task" (~5 µs a message).
   */
  private readonly handlersByKind = new Map<string, MessageHandler>();

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
    const handler = this.handlerFor(delivery.message.kind);
    if (!handler) {
      this.logger.warn?.(`no handler for ${delivery.message.kind} messages from ${delivery.topic}; record acknowledged`);
      return;
    }
    const result: unknown = await handler(delivery.message, new BusContext([delivery]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  private handlerFor(kind: string): MessageHandler | null {
    let handler = this.handlersByKind.get(kind);
    if (!handler) {
      // Only hits are kept: a kind without a handler is looked up again (and warned about) each time.
      handler = this.getHandlerByPattern(kind) ?? undefined;
      if (handler) this.handlersByKind.set(kind, handler);
    }
    return handler ?? null;
  }
}
