import { MessageBus } from '@agentos/runtime';
import { describeBusContract } from '@agentos/test-kit';
import { Partitioners } from 'kafkajs';
import { freshRegistry, plainKafka, testBus } from './kafka-test-support';

describeBusContract(
  'kafka',
  async () => {
    const registry = freshRegistry();
    const bus = testBus(registry);
    await bus.connect();
    const buses: MessageBus[] = [bus];
    const rawProducer = plainKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    let rawConnected = false;
    return {
      bus,
      registry,
      peer: async () => {
        const peer = testBus(registry, { createTopics: false });
        buses.push(peer);
        await peer.connect();
        return peer;
      },
      injectRaw: async (topic, key, value) => {
        if (!rawConnected) {
          await rawProducer.connect();
          rawConnected = true;
        }
        await rawProducer.send({ topic, acks: -1, messages: [{ key, value }] });
      },
      dispose: async () => {
        await Promise.all(buses.map((each) => each.close()));
        if (rawConnected) await rawProducer.disconnect();
      },
    };
  },
  { timeoutMs: 60_000, carriesBytes: true, partitioned: true },
);
