import { Envelope, SCHEMA_VERSION } from '../envelope/envelope';
import { MessageKind } from '../envelope/message-kind';
import { AgentMessage } from '../messages/agent-message';

/** Where the published schemas live; the version segment follows the wire format's major version. */
export const SCHEMA_BASE_URL = `https://agentos.dev/schemas/v${SCHEMA_VERSION}/`;

/** One schema per message kind, plus the two unions of them. */
export type SchemaName = MessageKind | 'agent-message' | 'bus-message';

export function schemaFileName(name: SchemaName): string {
  return `${name}.schema.json`;
}

export function schemaId(name: SchemaName): string {
  return `${SCHEMA_BASE_URL}${schemaFileName(name)}`;
}

/** Titles are the TypeScript type names, so generated code in other languages reads the same. */
export const SCHEMA_DOCS: Readonly<Record<SchemaName, { readonly title: string; readonly description: string }>> = {
  goal: {
    title: 'GoalMessage',
    description: 'A goal submitted to the supervisor: free text, optionally with an explicit plan (topic agentos.goals.v1).',
  },
  task: {
    title: 'TaskMessage',
    description: "One attempt at one task, sent by the supervisor to a worker type's pool (topic agentos.tasks.<workerType>.v1).",
  },
  result: {
    title: 'ResultMessage',
    description: 'What a worker reports for one task attempt: output when succeeded, error when failed (topic agentos.results.v1).',
  },
  control: {
    title: 'ControlMessage',
    description: "An operator's or the supervisor's signal, broadcast to every worker instance; goalId is \"*\" for a whole pool (topic agentos.control.v1).",
  },
  event: {
    title: 'GoalEventMessage',
    description: "A step in a goal's life, published by the supervisor for observers (topic agentos.events.v1).",
  },
  capabilities: {
    title: 'CapabilitiesMessage',
    description:
      "A worker instance's announcement of its worker type, concurrency and tools (with their input and output JSON Schemas), renewed before ttlMs runs out; goalId is \"*\" (compacted topic agentos.capabilities.v1, keyed by workerId).",
  },
  run: {
    title: 'RunRecordMessage',
    description:
      "A record of the supervisor's durable run state: a run snapshot, the progress of one step, a goal's terminal status, or an instance's claim of a partition (compacted topic agentos.runs.v1, keyed by goalId; written and read only by supervisors).",
  },
  'agent-message': {
    title: 'AgentMessage',
    description: 'Any message agents exchange: a goal, task, result or control message, told apart by kind.',
  },
  'bus-message': {
    title: 'BusMessage',
    description: "Anything that travels on an AgentOS bus: an agent message or a supervisor's goal event, told apart by kind.",
  },
};

/** The kinds of `AgentMessage`; a Record so the compiler rejects a missing or extra kind. */
const AGENT_MESSAGE_KIND_SET: Readonly<Record<AgentMessage['kind'], true>> = { goal: true, task: true, result: true, control: true };
export const AGENT_MESSAGE_KINDS = Object.keys(AGENT_MESSAGE_KIND_SET) as AgentMessage['kind'][];

/** Envelope fields lead every message schema, in this order. */
const ENVELOPE_FIELD_SET: Readonly<Record<keyof Envelope, true>> = {
  schemaVersion: true,
  id: true,
  kind: true,
  goalId: true,
  correlationId: true,
  causationId: true,
  createdAt: true,
};
export const ENVELOPE_FIELDS = Object.keys(ENVELOPE_FIELD_SET) as (keyof Envelope)[];
