import { decode } from './codec';
import { encode } from './codec';
import { newEnvelope } from '../envelope/new-envelope';
import { TaskMessage } from '../messages/task.message';
import { TaskGraphDto, TaskNodeDto } from '../plan/task-graph.dto';
import { plainToDto } from './plain-to-dto';

const task = (input: TaskMessage['input']): TaskMessage => ({
  ...newEnvelope('task', { goalId: 'g' }),
  taskId: 't',
  attempt: 1,
  workerType: 'logic',
  tool: 'jsonata',
  input,
  timeoutMs: 1_000,
  idempotencyKey: 'g:t',
});

describe('plainToDto', () => {
  it('instantiates declared nested DTOs, arrays of them included', () => {
    const graph = plainToDto(TaskGraphDto, { tasks: [{ id: 'a', workerType: 'io', tool: 'noop' }] }) as TaskGraphDto;
    expect(graph).toBeInstanceOf(TaskGraphDto);
    expect(graph.tasks[0]).toBeInstanceOf(TaskNodeDto);
  });

  it('leaves open JSON exactly as parsed, `constructor` and `__proto__` keys included', () => {
    const raw = '{"tasks":[{"id":"a","workerType":"io","tool":"noop","input":{"constructor":{"name":"x"},"__proto__":{"polluted":true}}}]}';
    const graph = plainToDto(TaskGraphDto, JSON.parse(raw)) as TaskGraphDto;
    const input = graph.tasks[0]!.input!;
    expect(Object.keys(input)).toEqual(['constructor', '__proto__']);
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lets decode accept a task whose input has a `constructor` key', () => {
    const message = task({ data: { constructor: { name: 'Widget' }, rows: [{ constructor: 1 }] }, expression: '$' });
    const decoded = decode('agentos.tasks.logic.v1', encode(message));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.message).toEqual(message);
  });

  it('keeps a `__proto__` key in an input as data without touching any prototype', () => {
    const bytes = Buffer.from(encode(task({ expression: '$' })).toString().replace('"input":{', '"input":{"__proto__":{"isAdmin":true},'));
    const decoded = decode('agentos.tasks.logic.v1', bytes);
    expect(decoded.ok).toBe(true);
    if (decoded.ok && decoded.message.kind === 'task') {
      expect(Object.getOwnPropertyNames(decoded.message.input)).toContain('__proto__');
      expect((decoded.message.input as Record<string, unknown>).isAdmin).toBeUndefined();
    }
  });
});

describe('hostile `constructor` keys', () => {
  it.each([null, 'x', 5, { name: 'Object' }])('decodes a task whose node has "constructor": %p without throwing', (value) => {
    const goal = {
      ...newEnvelope('goal', { goalId: 'g' }),
      goal: 'x',
      plan: { tasks: [{ id: 'a', workerType: 'io', tool: 'noop', constructor: value }] },
      constructor: value,
    };
    const decoded = decode('agentos.goals.v1', Buffer.from(JSON.stringify(goal)));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.message).toEqual(JSON.parse(JSON.stringify(goal)));
  });
});
