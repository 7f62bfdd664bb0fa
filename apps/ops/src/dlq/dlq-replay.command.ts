import { parseArgs } from 'node:util';
import { loadConfig, topicRegistryFrom, TransportConfig } from '@agentos/runtime';
import { OpsCommand } from '../cli/ops-command';
import { parsingUsage, UsageError } from '../cli/usage-error';
import { replayDeadLetters } from './replay-dlq';

const USAGE = `dlq-replay [--source-topic TOPIC] [--code CODE] [--include-undecodable] [--limit N] [--dry-run]   (npm run dlq:replay -- ...)
  Sends dead-lettered records back to the topic they came from (KAFKA_BROKERS, AGENTOS_TOPIC_NAMESPACE from the environment).
  By default only records that decode now (the fix they waited for is deployed) are replayed.`;

export const dlqReplayCommand: OpsCommand = {
  name: 'dlq-replay',
  usage: USAGE,
  async run(args, env, print) {
    const { values } = parsingUsage(() =>
      parseArgs({
        args: [...args],
        options: {
          'source-topic': { type: 'string' },
          code: { type: 'string' },
          'include-undecodable': { type: 'boolean' },
          limit: { type: 'string' },
          'dry-run': { type: 'boolean' },
        },
      }),
    );
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit must be a positive integer, got ${values.limit}`);
    const transport = loadConfig(TransportConfig, { ...env, AGENTOS_TRANSPORT: 'kafka' });
    const report = await replayDeadLetters({
      brokers: transport.KAFKA_BROKERS,
      registry: topicRegistryFrom(transport),
      ...(values['source-topic'] !== undefined ? { sourceTopic: values['source-topic'] } : {}),
      ...(values.code !== undefined ? { code: values.code } : {}),
      includeUndecodable: values['include-undecodable'] ?? false,
      dryRun: values['dry-run'] ?? false,
      ...(limit !== undefined ? { limit } : {}),
    });
    print(JSON.stringify(report, null, 2));
    return 0;
  },
};
