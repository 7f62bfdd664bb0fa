import { cpus, totalmem } from 'node:os';
import { BenchOptions } from '../options';

/** When, where and with what settings the figures were taken. */
export function header(options: BenchOptions, broker: string | undefined): string {
  const cpuList = cpus();
  return [
    '# AgentOS benchmark',
    '',
    `- date: ${new Date().toISOString()}`,
    `- node ${process.version} on ${process.platform}/${process.arch}; ${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? 'unknown'}); ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `- broker: ${broker ?? 'not used'}`,
    `- Kafka: ${options.kafkaTasks} noop tasks in ${options.kafkaGoals} goals, window ${options.window} per goal, ${options.partitions} partitions per topic, warm-up ${options.warmupTasks} tasks, SUPERVISOR_TASK_EVENTS=${options.taskEvents}${options.taskEvents === 'all' ? '' : ' (latency from each goal\'s own percentiles)'}`,
    `- embedded: goals of ${options.embeddedSizes.join(', ')} tasks, window ${options.embeddedWindow}`,
    `- supervisor memory: ${options.supervisorMemory}${options.supervisorMemory === 'on' ? ' (the default: every finished goal recorded in SQLite)' : ' (BENCH_SUPERVISOR_MEMORY=off)'}`,
    `- scenarios: ${[...options.scenarios].join(', ')}${options.cpuProfileDir ? `; CPU profiles of child processes in ${options.cpuProfileDir}` : ''}`,
    ...(options.childNodeOptions ? [`- child processes run with NODE_OPTIONS=${options.childNodeOptions} (not the default)`] : []),
  ].join('\n');
}
