import { sampleGoal } from '../testing/sample-messages';
import { newEnvelope } from './new-envelope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newEnvelope', () => {
  it('fills a fresh envelope of the given kind', () => {
    const before = Date.now();
    const envelope = newEnvelope('task', { goalId: 'goal-1' });
    expect(envelope).toMatchObject({ schemaVersion: 1, kind: 'task', goalId: 'goal-1' });
    expect(envelope.id).toMatch(UUID);
    expect(Date.parse(envelope.createdAt)).toBeGreaterThanOrEqual(before);
    expect(new Date(envelope.createdAt).toISOString()).toBe(envelope.createdAt);
  });

  it('gives every envelope its own id', () => {
    expect(newEnvelope('task', { goalId: 'g' }).id).not.toBe(newEnvelope('task', { goalId: 'g' }).id);
  });

  it.each([
    ['a goal id alone: correlates by the goal, no cause', { goalId: 'g1' }, { goalId: 'g1', correlationId: 'g1', causationId: undefined }],
    ['explicit ids: kept as given', { goalId: 'g1', correlationId: 'req-9', causationId: 'msg-3' }, { goalId: 'g1', correlationId: 'req-9', causationId: 'msg-3' }],
    ['an explicit correlation without cause', { goalId: 'g1', correlationId: 'req-9' }, { goalId: 'g1', correlationId: 'req-9', causationId: undefined }],
  ])('from %s', (_name, from, expected) => {
    expect(newEnvelope('event', from)).toMatchObject(expected);
  });

  it("inherits a cause's goal and correlation and records the cause's id as its causation", () => {
    const goal = sampleGoal({ goalId: 'goal-7', correlationId: 'http-req-42', causationId: 'earlier' });
    const task = newEnvelope('task', goal);
    const result = newEnvelope('result', task);
    expect(task).toMatchObject({ kind: 'task', goalId: 'goal-7', correlationId: 'http-req-42', causationId: goal.id });
    expect(result).toMatchObject({ kind: 'result', goalId: 'goal-7', correlationId: 'http-req-42', causationId: task.id });
    expect(task.id).not.toBe(goal.id);
  });
});
