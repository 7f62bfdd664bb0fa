import { TopicRegistry } from '@agentos/contracts';
import { MessageBus } from '@agentos/runtime';

/** What the bus contract suite needs from a transport under test. */
export interface BusFixture {
  /** Connected, with the registry's topics created. */
  readonly bus: MessageBus;
  readonly registry: TopicRegistry;
  /** Another client of the same transport (another process, in Kafka terms); connected. */
  peer(): Promise<MessageBus>;
  /** Writes raw bytes to a topic, bypassing encoding: only transports that carry bytes have it. */
  readonly injectRaw?: (topic: string, key: string, value: Buffer) => Promise<void>;
  /** Closes every bus this fixture made. */
  dispose(): Promise<void>;
}
