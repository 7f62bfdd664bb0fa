import { TopicRegistry } from '@agentos/contracts';
import { describeBusContract } from './bus-contract.suite';
import { InProcessBus } from '@agentos/runtime';

describeBusContract(
  'in-process',
  async () => {
    const bus = new InProcessBus();
    await bus.connect();
    return {
      bus,
      registry: new TopicRegistry({ workerTypes: ['io', 'logic'] }),
      peer: async () => bus,
      dispose: () => bus.close(),
    };
  },
  { timeoutMs: 5_000, carriesBytes: false, partitioned: false },
);
