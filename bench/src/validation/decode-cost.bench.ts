import { BusMessage, decode, encode, TopicRegistry } from '@agentos/contracts';
import { typicalResult, typicalSucceededEvent, typicalTask } from '../messages/typical-messages';

export interface DecodeCost {
  readonly message: string;
  readonly bytes: number;
  /** µs per call, median of the rounds. */
  readonly jsonParseUs: number;
  readonly decodeUs: number;
}

const ROUNDS = 9;
const CALLS_PER_ROUND = 5_000;

/** µs per call: the median round, so a GC or another process's burst does not decide. */
function microsPerCall(call: () => unknown): number {
  for (let i = 0; i < CALLS_PER_ROUND; i++) call(); // warm-up
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS_PER_ROUND; i++) call();
    rounds.push(Number(process.hrtime.bigint() - start) / 1_000 / CALLS_PER_ROUND);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

function measure(name: string, topic: string, message: BusMessage): DecodeCost {
  const bytes = encode(message);
  const check = decode(topic, bytes);
  if (!check.ok) throw new Error(`the typical ${name} does not decode: ${check.error.reason}`);
  return {
    message: name,
    bytes: bytes.length,
    jsonParseUs: microsPerCall(() => JSON.parse(bytes.toString('utf8'))),
    decodeUs: microsPerCall(() => decode(topic, bytes)),
  };
}

/** What validating a consumed record costs (`decode`: parse, checks, DTO validation) against bare JSON.parse. */
export function runDecodeCost(): DecodeCost[] {
  const topics = new TopicRegistry({ workerTypes: ['io'] });
  const task = typicalTask();
  const result = typicalResult(task);
  return [
    measure('Task (noop)', topics.tasks('io'), task),
    measure('Result (noop, succeeded)', topics.results(), result),
    measure('Event (task.succeeded)', topics.events(), typicalSucceededEvent(result)),
  ];
}
