import { ANY_GOAL, CapabilitiesMessage, isoTime, newEnvelope, ToolCapability } from '@agentos/contracts';
import { LiveToolCatalog } from './live-tool-catalog';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function tool(name: string, description = `The ${name} tool.`): ToolCapability {
  return { name, description, sideEffects: false, inputSchema: { type: 'object', title: name }, outputSchema: { type: 'object' } };
}

function announcement(workerId: string, workerType: string, tools: ToolCapability[], at: number, extra: Partial<CapabilitiesMessage> = {}): CapabilitiesMessage {
  return {
    ...newEnvelope('capabilities', { goalId: ANY_GOAL, correlationId: workerId }),
    createdAt: isoTime(at),
    workerType,
    workerId,
    concurrency: 4,
    ttlMs: 30_000,
    tools,
    ...extra,
  };
}

describe('LiveToolCatalog', () => {
  let now: number;
  let catalog: LiveToolCatalog;

  beforeEach(() => {
    now = T0;
    catalog = new LiveToolCatalog(() => now);
  });

  afterEach(() => catalog.onModuleDestroy());

  it('knows nothing until a worker announces itself', () => {
    expect(catalog.workerTypes()).toEqual([]);
    expect(catalog.tools('io')).toBeUndefined();
    expect(catalog.pool('io')).toBeUndefined();
  });

  it('offers a worker type and its tools, sorted, with their schemas', () => {
    catalog.record(announcement('io-1', 'io', [tool('noop'), tool('fs.read')], now));
    expect(catalog.workerTypes()).toEqual(['io']);
    expect(catalog.tools('io')).toEqual(['fs.read', 'noop']);
    expect(catalog.pool('io')).toMatchObject({ workerType: 'io', instances: 1, concurrency: 4 });
    expect(catalog.pool('io')!.tools[0]).toEqual(tool('fs.read'));
  });

  it('keeps a worker alive until its announcement time plus ttl, then forgets it', () => {
    catalog.record(announcement('io-1', 'io', [tool('noop')], now));
    now += 29_999;
    expect(catalog.workerTypes()).toEqual(['io']);
    now += 1;
    expect(catalog.workerTypes()).toEqual([]);
    expect(catalog.tools('io')).toBeUndefined();
  });

  it('stays alive while the worker re-announces before its ttl runs out', () => {
    catalog.record(announcement('io-1', 'io', [tool('noop')], now));
    for (let i = 0; i < 5; i++) {
      now += 10_000;
      catalog.record(announcement('io-1', 'io', [tool('noop')], now));
    }
    now += 29_000;
    expect(catalog.pool('io')).toMatchObject({ instances: 1 });
  });

  it('takes a newer announcement of an instance over an older one, never the reverse', () => {
    catalog.record(announcement('io-1', 'io', [tool('noop')], now, { concurrency: 8 }));
    catalog.record(announcement('io-1', 'io', [tool('noop')], now - 5_000, { concurrency: 2 }));
    expect(catalog.pool('io')!.concurrency).toBe(8);
    now += 1_000;
    catalog.record(announcement('io-1', 'io', [tool('noop'), tool('fs.read')], now, { concurrency: 16 }));
    expect(catalog.pool('io')).toMatchObject({ instances: 1, concurrency: 16, toolNames: ['fs.read', 'noop'] });
  });

  it('counts several instances of a type and adds up their concurrency', () => {
    catalog.record(announcement('io-1', 'io', [tool('noop')], now, { concurrency: 4 }));
    catalog.record(announcement('io-2', 'io', [tool('noop')], now, { concurrency: 6 }));
    catalog.record(announcement('logic-1', 'logic', [tool('jsonata')], now, { concurrency: 2 }));
    expect(catalog.livePoolViews().map(({ workerType, instances, concurrency }) => ({ workerType, instances, concurrency }))).toEqual([
      { workerType: 'io', instances: 2, concurrency: 10 },
      { workerType: 'logic', instances: 1, concurrency: 2 },
    ]);
    now += 20_000;
    catalog.record(announcement('io-2', 'io', [tool('noop')], now, { concurrency: 6 }));
    now += 10_000;
    expect(catalog.pool('io')).toMatchObject({ instances: 1, concurrency: 6 });
    expect(catalog.workerTypes()).toEqual(['io']);
  });

  it('offers only the tools every live instance of a type has, with the newest schemas', () => {
    catalog.record(announcement('io-old', 'io', [tool('noop', 'old'), tool('fs.read')], now));
    now += 1_000;
    catalog.record(announcement('io-new', 'io', [tool('noop', 'new'), tool('fs.read'), tool('http.request')], now));
    expect(catalog.tools('io')).toEqual(['fs.read', 'noop']);
    expect(catalog.pool('io')!.tools.find((t) => t.name === 'noop')!.description).toBe('new');
    now += 29_500;
    expect(catalog.tools('io')).toEqual(['fs.read', 'http.request', 'noop']);
  });

  it('ignores an announcement that had already expired (replayed from the compacted topic)', () => {
    catalog.record(announcement('io-dead', 'io', [tool('noop')], now - 60_000));
    expect(catalog.workerTypes()).toEqual([]);
  });

  it('does not let a worker clock running ahead extend its life', () => {
    catalog.record(announcement('io-1', 'io', [tool('noop')], now + 3_600_000));
    now += 30_000;
    expect(catalog.workerTypes()).toEqual([]);
  });

  it('names the worker types nobody offers', () => {
    catalog.record(announcement('io-1', 'io', [tool('noop')], now));
    expect(catalog.unavailable(['logic', 'io', 'gpu', 'logic'])).toEqual(['gpu', 'logic']);
  });

  describe('whenOffered', () => {
    it('resolves at once when every type is offered', async () => {
      catalog.record(announcement('io-1', 'io', [tool('noop')], now));
      await expect(catalog.whenOffered(['io'], 10)).resolves.toBe(true);
    });

    it('resolves when the last missing type announces itself', async () => {
      catalog.record(announcement('io-1', 'io', [tool('noop')], now));
      const offered = catalog.whenOffered(['io', 'logic', 'gpu'], 60_000);
      catalog.record(announcement('logic-1', 'logic', [tool('noop')], now));
      catalog.record(announcement('gpu-1', 'gpu', [tool('train')], now));
      await expect(offered).resolves.toBe(true);
    });

    it('resolves false when the time runs out first', async () => {
      const offered = catalog.whenOffered(['gpu'], 20);
      catalog.record(announcement('io-1', 'io', [tool('noop')], now));
      await expect(offered).resolves.toBe(false);
    });

    it('resolves false for every waiter when the supervisor shuts down', async () => {
      const offered = catalog.whenOffered(['gpu'], 60_000);
      catalog.onModuleDestroy();
      await expect(offered).resolves.toBe(false);
    });
  });
});
