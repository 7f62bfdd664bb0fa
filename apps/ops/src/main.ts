import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig, topicRegistryFrom, TransportConfig } from '@agentos/runtime';
import { replayDeadLetters } from './dlq/replay-dlq';

const USAGE = `usage: npm run dlq:replay -- [--source-topic TOPIC] [--code CODE] [--include-undecodable] [--limit N] [--dry-run]
  Sends dead-lettered records back to the topic they came from (KAFKA_BROKERS, AGENTOS_TOPIC_NAMESPACE from the environment).
  By default only records that decode now (the fix they waited for is deployed) are replayed.`;

/** Operator commands. Today: `dlq-replay`. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'dlq-replay') {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      'source-topic': { type: 'string' },
      code: { type: 'string' },
      'include-undecodable': { type: 'boolean' },
      limit: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const transport = loadConfig(TransportConfig, { ...process.env, AGENTOS_TRANSPORT: 'kafka' });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`--limit must be a positive integer, got ${values.limit}`);
  const report = await replayDeadLetters({
    brokers: transport.KAFKA_BROKERS,
    registry: topicRegistryFrom(transport),
    ...(values['source-topic'] !== undefined ? { sourceTopic: values['source-topic'] } : {}),
    ...(values.code !== undefined ? { code: values.code } : {}),
    includeUndecodable: values['include-undecodable'] ?? false,
    dryRun: values['dry-run'] ?? false,
    ...(limit !== undefined ? { limit } : {}),
  });
  console.log(JSON.stringify(report, null, 2));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
