import type { CpuUsage } from '../stats/cpu-usage';
import { fmt, markdownTable, ratio } from './markdown-table';
import { BenchResults, valueOf } from './results';

const ms = (value: number | undefined) => `${fmt(value, 2)} ms`;
const secs = (value: number | undefined) => (value === undefined ? 'n/a' : `${fmt(value / 1000, 2)} s`);

/** `min-max` of the rounds' throughput. */
function spread(values: readonly number[]): string {
  if (values.length < 2) return '';
  return `${fmt(Math.min(...values))}-${fmt(Math.max(...values))}`;
}

export function kafkaTable(results: BenchResults, rounds: number): string {
  const agentos = valueOf(results.kafka);
  const raw = valueOf(results.raw);
  const rows = [];
  if (results.kafka?.ok === false) rows.push(['AgentOS: FAILED', results.kafka.error]);
  if (agentos) {
    const run = agentos.median;
    rows.push([
      'AgentOS (goal -> supervisor -> worker-io -> supervisor)',
      fmt(run.tasks),
      fmt(run.inFlight),
      secs(run.durationMs),
      fmt(run.perSecond),
      spread(agentos.roundsPerSecond),
      ms(run.latency.p50),
      ms(run.latency.p99),
      ms(run.latency.max),
      `${run.goalsSucceeded}/${run.goals} goals, ${fmt(run.dispatches)} dispatches`,
    ]);
  }
  if (results.raw?.ok === false) rows.push(['raw echo: FAILED', results.raw.error]);
  if (raw) {
    const run = raw.median;
    rows.push([
      `raw kafkajs echo (${raw.requestBytes} B request, ${raw.replyBytes} B reply)`,
      fmt(run.messages),
      fmt(run.inFlight),
      secs(run.durationMs),
      fmt(run.perSecond),
      spread(raw.roundsPerSecond),
      ms(run.rtt.p50),
      ms(run.rtt.p99),
      ms(run.rtt.max),
      'every reply',
    ]);
  }
  if (agentos && raw) {
    rows.push(['**AgentOS / raw**', '', '', '', `**${ratio(agentos.median.perSecond, raw.median.perSecond)}**`, '', ratio(agentos.median.latency.p50, raw.median.rtt.p50), ratio(agentos.median.latency.p99, raw.median.rtt.p99), '', '']);
  }
  if (agentos) {
    const run = agentos.lightLoad;
    rows.push(['AgentOS, light load (latency probe)', fmt(run.tasks), fmt(run.inFlight), secs(run.durationMs), fmt(run.perSecond), '', ms(run.latency.p50), ms(run.latency.p99), ms(run.latency.max), `${run.goalsSucceeded}/${run.goals} goals`]);
  }
  if (raw) {
    const run = raw.lightLoad;
    rows.push(['raw echo, light load (latency probe)', fmt(run.messages), fmt(run.inFlight), secs(run.durationMs), fmt(run.perSecond), '', ms(run.rtt.p50), ms(run.rtt.p99), ms(run.rtt.max), 'every reply']);
  }
  return [
    '## Kafka: AgentOS full path vs raw kafkajs echo (same broker, same client settings)',
    '',
    markdownTable(['run', 'tasks', 'in flight', 'wall time', 'tasks/s', `range of ${rounds} rounds`, 'p50', 'p99', 'max', 'completed'], rows),
    '',
    `Loaded rows: the median of ${rounds} rounds by throughput (its latencies too). tasks/s: from the first submit to the last`,
    '`goal.succeeded` (AgentOS) or the last reply (raw) seen by the bench. AgentOS latency: dispatch-to-result as the',
    'supervisor measures it (`latencyMs` of `task.succeeded`); raw latency: produce of a request to consumption of its',
    'reply. Under load both obey Little\'s law: mean latency = tasks in flight / throughput.',
    ...cpuSection([
      ['AgentOS', agentos?.median.cpu, agentos?.median.tasks],
      ['raw echo', raw?.median.cpu, raw?.median.messages],
    ]),
  ].join('\n');
}

/** CPU seconds per process during the measured rounds, and what the rest of the machine (the broker) used. */
function cpuSection(runs: ReadonlyArray<readonly [string, CpuUsage | undefined, number | undefined]>): string[] {
  const measured = runs.filter((run): run is readonly [string, CpuUsage, number] => run[1] !== undefined && run[2] !== undefined);
  if (measured.length === 0) return [];
  const names = [...new Set(measured.flatMap(([, cpu]) => [...cpu.processes.keys()]))];
  const rows = measured.map(([label, cpu, tasks]) => {
    let known = 0;
    const cells = names.map((name) => {
      const value = cpu.processes.get(name);
      if (value === undefined) return cpu.processes.has(name) ? 'n/a' : '';
      known += value;
      return `${fmt(value / 1000, 2)} s`;
    });
    const rest = cpu.machineBusyMs - known;
    return [label, `${fmt(cpu.machineBusyPercent, 0)}% of ${cpu.cores}`, ...cells, `${fmt(rest / 1000, 2)} s`, `${fmt((cpu.machineBusyMs * 1000) / tasks, 0)} µs`];
  });
  return [
    '',
    'CPU during the measured round (from /proc and os.cpus()):',
    '',
    markdownTable(['run', 'machine busy', ...names, 'rest: broker, OS', 'machine CPU per task'], rows),
  ];
}

export function embeddedTable(results: BenchResults): string {
  const agentos = valueOf(results.embedded) ?? [];
  const bare = valueOf(results.bare) ?? [];
  const sizes = [...new Set([...agentos.map((run) => run.tasks), ...bare.map((run) => run.messages)])].sort((a, b) => a - b);
  const rows = sizes.map((size) => {
    const run = agentos.find((candidate) => candidate.tasks === size);
    const echo = bare.find((candidate) => candidate.messages === size);
    return [
      fmt(size),
      run ? `${secs(run.durationMs)}` : 'n/a',
      run ? fmt(run.perSecond) : 'n/a',
      run ? spread(run.roundsPerSecond) : '',
      run?.status ?? 'n/a',
      run ? `${fmt(run.heapUsedMb, 1)} MB` : 'n/a',
      run?.heapAfterGcMb === undefined ? 'n/a' : `${fmt(run.heapAfterGcMb, 1)} MB`,
      echo ? fmt(echo.perSecond) : 'n/a',
      ratio(run?.perSecond, echo?.perSecond),
    ];
  });
  const first = agentos[0];
  const last = agentos[agentos.length - 1];
  const notes: string[] = [];
  if (results.embedded?.ok === false) notes.push(`AgentOS embedded FAILED: ${results.embedded.error}`);
  if (results.bare?.ok === false) notes.push(`bare echo FAILED: ${results.bare.error}`);
  if (first && last && last !== first) {
    notes.push(`**Linearity ratio** (tasks/s at ${fmt(last.tasks)} / tasks/s at ${fmt(first.tasks)}): **${ratio(last.perSecond, first.perSecond)}** (1.00x = linear)`);
  }
  return [
    '## Embedded: AgentOS on the in-process bus vs a bare in-process echo',
    '',
    markdownTable(['tasks', 'AgentOS wall time', 'AgentOS tasks/s', 'range of rounds', 'goal', 'heap used at end', 'heap after run + GC', 'bare echo msgs/s', 'AgentOS / bare'], rows),
    '',
    'AgentOS: one goal of N independent noop tasks, supervisor + io worker (Nest microservices) on one InProcessBus,',
    `timed from publishing the goal to its terminal event; window ${bare[0]?.window ?? 'n/a'} tasks in flight; median round shown. Bare echo: same window, no AgentOS code.`,
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}

export function validationTable(results: BenchResults): string {
  if (results.validation?.ok === false) return `## Validation cost\n\nFAILED: ${results.validation.error}`;
  const costs = valueOf(results.validation) ?? [];
  const rows = costs.map((cost) => [
    cost.message,
    fmt(cost.bytes),
    `${fmt(cost.jsonParseUs, 2)} µs`,
    `${fmt(cost.decodeUs, 2)} µs`,
    `${fmt(cost.decodeUs - cost.jsonParseUs, 2)} µs`,
    ratio(cost.decodeUs, cost.jsonParseUs),
  ]);
  const task = costs[0];
  const result = costs[1];
  const perTask = task && result ? task.decodeUs + result.decodeUs : undefined;
  return [
    '## Validation cost: `decode()` (parse + checks + DTO validation) vs bare `JSON.parse`',
    '',
    markdownTable(['message', 'bytes', 'JSON.parse', 'decode', 'validation (decode - parse)', 'decode / parse'], rows),
    '',
    perTask === undefined
      ? ''
      : `Per task on Kafka, AgentOS decodes a Task (worker) and a Result (supervisor): ${fmt(perTask, 1)} µs of CPU, ` +
        `i.e. ${fmt(perTask * 11_000 / 1_000, 0)} ms of CPU per second at 11,000 tasks/s (the bench's event follower decodes two events more per task).`,
  ].join('\n');
}
