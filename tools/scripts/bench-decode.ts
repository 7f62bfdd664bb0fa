// Cost of `decode` per message, against bare JSON.parse of the same bytes. Not a test.
//   node tools/scripts/run-ts.js tools/scripts/bench-decode.ts
import { decode, encode, newEnvelope, ResultMessage, TaskMessage } from '@agentos/contracts';
import { validateMessage } from '../../libs/contracts/src/codec/validate-message';
import { jsonDepthExceeds } from '../../libs/contracts/src/json/is-bounded-json.decorator';

const task: TaskMessage = {
  ...newEnvelope('task', { goalId: 'goal-1' }),
  taskId: 'parse-orders',
  attempt: 1,
  workerType: 'logic',
  tool: 'csv.parse',
  input: { text: 'id,total\n1,10\n2,32\n3,7\n', options: { header: true, delimiter: ',' }, columns: ['id', 'total'] },
  timeoutMs: 30_000,
  idempotencyKey: 'goal-1:parse-orders',
};

const result: ResultMessage = {
  ...newEnvelope('result', task),
  taskId: task.taskId,
  attempt: 1,
  workerType: 'logic',
  workerId: 'logic-7f3a',
  status: 'succeeded',
  output: { rows: [{ id: 1, total: 10 }, { id: 2, total: 32 }, { id: 3, total: 7 }], count: 3 },
  timings: { receivedAt: task.createdAt, startedAt: task.createdAt, finishedAt: task.createdAt, runMs: 3.2 },
};

const ROUNDS = 15;
const ITERATIONS = 20_000;

/** µs per call: the fastest round (least disturbed by other load) and the median round. */
function microsPerCall(run: () => unknown): { best: number; median: number } {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) run();
    rounds.push(Number(process.hrtime.bigint() - start) / 1_000 / ITERATIONS);
  }
  rounds.sort((a, b) => a - b);
  return { best: rounds[0], median: rounds[Math.floor(ROUNDS / 2)] };
}

const show = ({ best, median }: { best: number; median: number }) => `${best.toFixed(2)} / ${median.toFixed(2)}`;

function measure(name: string, topic: string, message: TaskMessage | ResultMessage): void {
  const bytes = encode(message);
  if (!decode(topic, bytes).ok) throw new Error(`${name} does not decode`);
  const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  for (let i = 0; i < 20_000; i++) decode(topic, bytes); // warm-up
  const parse = microsPerCall(() => JSON.parse(bytes.toString('utf8')));
  const decodeBuffer = microsPerCall(() => decode(topic, bytes));
  const dtoValidation = microsPerCall(() => validateMessage(message.kind, parsed));
  const depthCheck = microsPerCall(() => jsonDepthExceeds(parsed, 128));
  console.log(`${name} (${bytes.length} B), µs per message, best / median round:`);
  console.log(`  JSON.parse(buffer)        ${show(parse)}`);
  console.log(`  decode(topic, buffer)     ${show(decodeBuffer)}   (${(decodeBuffer.best / parse.best).toFixed(0)}x JSON.parse)`);
  console.log(`    of which DTO transform + validate  ${show(dtoValidation)}`);
  console.log(`    of which depth pre-check           ${show(depthCheck)}`);
}

console.log(`node ${process.version}, ${ROUNDS} rounds x ${ITERATIONS} messages`);
measure('task', 'agentos.tasks.logic.v1', task);
measure('result', 'agentos.results.v1', result);
