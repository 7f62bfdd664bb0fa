import { ServiceProcess } from '@agentos/test-kit';

describe('a service started with an invalid configuration', () => {
  it.each(['supervisor', 'worker-io', 'worker-logic'] as const)('%s exits 1 at once, naming every problem', async (name) => {
    const service = new ServiceProcess(name, {
      AGENTOS_TRANSPORT: 'kafka',
      KAFKA_BROKERS: 'not a broker',
      AGENTOS_GOAL_PARTITIONS: '0',
    });
    await expect(service.ready()).rejects.toThrow(/exited with 1 before it started[\s\S]*KAFKA_BROKERS[\s\S]*AGENTOS_GOAL_PARTITIONS/);
  });
});
