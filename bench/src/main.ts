/**
 * `npm run bench`: measures AgentOS against baselines run on the same machine in the same
 * run, and prints Markdown tables (stdout) with figures, ratios and a verdict per target.
 * Progress goes to stderr. Options: see options.ts (BENCH_* variables, KAFKA_BROKERS).
 */
import 'reflect-metadata';
import { join, resolve } from 'node:path';
import { runBareEcho } from './embedded/bare-echo.bench';
import { runAgentOsEmbedded } from './embedded/agentos-embedded.bench';
import { runAgentOsKafka } from './kafka/agentos-kafka.bench';
import { BenchBroker, benchBroker } from './kafka/broker';
import { runRawEcho } from './kafka/raw-echo.bench';
import { runMemorySearch } from './memory-search/memory-search.bench';
import { memorySearchTable } from './memory-search/memory-search-table';
import { BenchOptions, readOptions } from './options';
import { header } from './report/header';
import { attempt, BenchResults } from './report/results';
import { embeddedTable, kafkaTable, validationTable } from './report/scenario-tables';
import { targetsTable } from './report/targets';
import { runDecodeCost } from './validation/decode-cost.bench';

const EMBEDDED_WARMUP_TASKS = 5_000;

/** Environment added to every child process: the CPU profiler preload and extra Node options, when asked for. */
function childEnvironment(options: BenchOptions): Record<string, string> | undefined {
  const nodeOptions: string[] = [];
  const env: Record<string, string> = {};
  if (options.cpuProfileDir) {
    // Node refuses --cpu-prof in NODE_OPTIONS (and ServiceProcess takes no node flags): a preload profiles instead.
    nodeOptions.push(`--require ${join(__dirname, 'support', 'cpu-profile-preload.js')}`);
    env.BENCH_CPU_PROF_DIR = resolve(options.cpuProfileDir);
  }
  if (options.childNodeOptions) nodeOptions.push(options.childNodeOptions);
  if (nodeOptions.length === 0) return undefined;
  return { ...env, NODE_OPTIONS: nodeOptions.join(' ') };
}

async function main(): Promise<number> {
  const options = readOptions();
  const run = options.scenarios;
  const results: BenchResults = {};
  const childEnv = childEnvironment(options);

  // In-process scenarios first, on a quiet machine (no broker traffic, no child processes).
  if (run.has('validation')) results.validation = await attempt('validation cost', async () => runDecodeCost());
  const memorySearch = run.has('memory-search') ? await attempt('memory search', async () => runMemorySearch()) : undefined;
  if (run.has('bare')) results.bare = await attempt('bare in-process echo', () => runBareEcho(options.embeddedSizes, options.embeddedWindow, options.rounds, options.scenarioTimeoutMs));
  if (run.has('embedded')) {
    results.embedded = await attempt('AgentOS embedded', () =>
      runAgentOsEmbedded({
        sizes: options.embeddedSizes,
        window: options.embeddedWindow,
        warmupTasks: EMBEDDED_WARMUP_TASKS,
        rounds: options.rounds,
        timeoutMs: options.scenarioTimeoutMs,
        supervisorMemory: options.supervisorMemory,
      }),
    );
  }

  let broker: BenchBroker | undefined;
  try {
    if (run.has('kafka') || run.has('raw')) {
      const provisioned = await attempt('Kafka broker', () => benchBroker(options.brokerVersion));
      if (provisioned?.ok) broker = provisioned.value;
      else if (provisioned) {
        if (run.has('kafka')) results.kafka = provisioned as { ok: false; error: string };
        if (run.has('raw')) results.raw = provisioned as { ok: false; error: string };
      }
    }
    if (broker && run.has('raw')) {
      const brokers = broker.brokers;
      results.raw = await attempt('raw kafkajs echo', () =>
        runRawEcho({
          brokers,
          messages: options.kafkaTasks,
          warmupMessages: options.warmupTasks,
          inFlight: options.window * options.kafkaGoals,
          partitions: options.partitions,
          rounds: options.rounds,
          probeMessages: options.probeTasks,
          probeInFlight: options.probeInFlight,
          timeoutMs: options.scenarioTimeoutMs,
          ...(childEnv ? { childEnv } : {}),
        }),
      );
    }
    if (broker && run.has('kafka')) {
      const brokers = broker.brokers;
      results.kafka = await attempt('AgentOS on Kafka', () =>
        runAgentOsKafka({
          brokers,
          tasks: options.kafkaTasks,
          goals: options.kafkaGoals,
          window: options.window,
          partitions: options.partitions,
          taskEvents: options.taskEvents,
          supervisorMemory: options.supervisorMemory,
          warmupTasks: options.warmupTasks,
          rounds: options.rounds,
          probeTasks: options.probeTasks,
          probeInFlight: options.probeInFlight,
          timeoutMs: options.scenarioTimeoutMs,
          ...(childEnv ? { childEnv } : {}),
        }),
      );
    }
  } finally {
    await broker?.stop().catch((error: Error) => console.error(`bench: stopping the broker failed: ${error.message}`));
  }

  const targets = targetsTable(results);
  const sections = [header(options, broker?.description)];
  if (run.has('kafka') || run.has('raw')) sections.push(kafkaTable(results, options.rounds));
  if (run.has('embedded') || run.has('bare')) sections.push(embeddedTable(results));
  if (run.has('validation')) sections.push(validationTable(results));
  if (run.has('memory-search')) sections.push(memorySearchTable(memorySearch));
  sections.push(targets.table);
  console.log(`${sections.join('\n\n')}\n`);
  const failed = Object.values(results).some((outcome) => outcome?.ok === false) || memorySearch?.ok === false;
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
