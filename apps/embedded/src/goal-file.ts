import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { decodeAs, GoalMessage, SCHEMA_VERSION } from '@agentos/contracts';

/** A goal file could not be used; says exactly why. */
export class GoalFileError extends Error {}

/**
 * Reads a goal file: a Goal message whose envelope fields (id, goalId, createdAt, ...) may
 * be left out and are filled in here. The file is a process boundary: it is validated like
 * any message off a bus.
 */
export async function loadGoalFile(path: string): Promise<GoalMessage> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GoalFileError(`cannot read goal file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GoalFileError(`goal file ${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GoalFileError(`goal file ${path} must hold a JSON object`);
  }
  const goalId = `goal-${randomUUID()}`;
  const withEnvelope = {
    schemaVersion: SCHEMA_VERSION,
    id: randomUUID(),
    kind: 'goal',
    goalId,
    correlationId: goalId,
    createdAt: new Date().toISOString(),
    ...parsed,
  };
  const decoded = decodeAs(path, JSON.stringify(withEnvelope), ['goal']);
  if (!decoded.ok) throw new GoalFileError(`goal file ${path} is not a valid goal: ${decoded.error.reason}`);
  return decoded.message;
}
