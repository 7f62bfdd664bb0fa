import { Module } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { BusModule, BusServiceOptions, MessageBus } from '@agentos/runtime';
import { WorkerModule, WorkerSettings, workerSubscriptions } from '@agentos/worker-kit';
import { SimTool } from './sim-tool';
import { SimLedger, SimWorld } from './sim-world';

@Module({})
class SimWorkerApp {}

/** A worker of one simulated worker type, on the given bus: the world's tools for that type. */
export function simWorkerService(bus: MessageBus, topics: TopicRegistry, world: SimWorld, ledger: SimLedger, workerType: string, concurrency = 64): BusServiceOptions {
  const profiles = world.workerTypes[workerType];
  if (!profiles) throw new Error(`the simulated world has no worker type ${workerType}`);
  const settings: WorkerSettings = { workerType, workerId: `${workerType}-sim`, concurrency, faultInjection: false, announceIntervalMs: 60_000 };
  const tools = Object.entries(profiles).map(([tool, profile]) => new SimTool(tool, workerType, profile, world, ledger));
  return {
    module: { module: SimWorkerApp, imports: [BusModule.forRoot(bus, topics), WorkerModule.forRoot({ settings, tools })] },
    bus,
    subscriptions: workerSubscriptions(settings, topics),
  };
}
