import { encode, newEnvelope } from '@agentos/contracts';
import { DLQ_HEADERS } from '@agentos/runtime';
import { decideReplay } from './replay-decision';

const goalsTopic = 'ns.agentos.goals.v1';
const ours = (topic: string) => topic.startsWith('ns.agentos.');
const goal = encode({ ...newEnvelope('goal', { goalId: 'g-1' }), goal: 'do it', plan: { tasks: [{ id: 'a', workerType: 'io', tool: 'noop' }] } });
const record = (value: Buffer | null, headers: Record<string, string>) => ({ key: Buffer.from('g-1'), value, headers });
const deadLettered = (extra: Record<string, string> = {}) => ({
  [DLQ_HEADERS.sourceTopic]: goalsTopic,
  [DLQ_HEADERS.code]: 'handler_failed',
  [DLQ_HEADERS.reason]: 'the database was down',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  ...extra,
});

describe('decideReplay', () => {
  it('sends a record that decodes back to its source topic with its own headers, not the dead-letter ones', () => {
    const decision = decideReplay(record(goal, deadLettered()), {}, ours);
    expect(decision).toEqual({
      replay: true,
      topic: goalsTopic,
      key: Buffer.from('g-1'),
      value: goal,
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'x-agentos-replayed-from-dlq': 'handler_failed' },
    });
  });

  it.each([
    ['no source topic', record(goal, { [DLQ_HEADERS.code]: 'handler_failed' }), {}, 'no source topic header'],
    ['a topic of another deployment', record(goal, deadLettered({ [DLQ_HEADERS.sourceTopic]: 'payments.orders' })), {}, 'source topic is not one of this namespace'],
    ['no value', record(null, deadLettered()), {}, 'no value'],
    ['another source topic than asked', record(goal, deadLettered()), { sourceTopic: 'ns.agentos.results.v1' }, 'other source topic'],
    ['another code than asked', record(goal, deadLettered()), { code: 'schema_violation' }, 'other code'],
    ['a value that still does not decode', record(Buffer.from('{"kind":'), deadLettered({ [DLQ_HEADERS.code]: 'malformed_json' })), {}, 'still undecodable (malformed_json)'],
  ])('skips %s', (_name, input, filters, reason) => {
    expect(decideReplay(input, filters, ours)).toEqual({ replay: false, reason });
  });

  it('replays an undecodable record only when asked to', () => {
    const junk = record(Buffer.from('{"kind":'), deadLettered({ [DLQ_HEADERS.code]: 'malformed_json' }));
    expect(decideReplay(junk, { includeUndecodable: true }, ours)).toMatchObject({ replay: true, topic: goalsTopic });
  });
});
