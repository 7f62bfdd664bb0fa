import { Attributes } from '@opentelemetry/api';
import { BusMessage, MessageKind } from '@agentos/contracts';
import { Delivery, MessageBus, OutboundMessage } from '../../bus/message-bus';

/** OpenTelemetry messaging attributes, plus the AgentOS ones that find a goal's and a task's spans. */
export const SPAN_ATTRIBUTES = {
  messagingSystem: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  messageId: 'messaging.message.id',
  kafkaPartition: 'messaging.kafka.partition',
  kafkaOffset: 'messaging.kafka.offset',
  goalId: 'agentos.goal_id',
  taskId: 'agentos.task_id',
  messageKind: 'agentos.message_kind',
  deliveryCount: 'agentos.delivery_count',
} as const;

type Transport = MessageBus['transport'];

/**
 * The records a goal's trace follows from process to process: they carry trace headers and get
 * producer and consumer spans. Goal events, control signals, run records and capability
 * announcements are bookkeeping around that work; they get neither (their consumer spans would
 * mostly be roots of one-span traces, e.g. every journal record read after its goal ended).
 */
const TRACED_KINDS: ReadonlySet<MessageKind> = new Set(['goal', 'task', 'result']);

export function isTracedKind(kind: MessageKind): boolean {
  return TRACED_KINDS.has(kind);
}

/** The task a message is about: tasks and results always name one, goal events sometimes. */
export function taskIdOf(message: BusMessage): string | undefined {
  const taskId = (message as { readonly taskId?: unknown }).taskId;
  return typeof taskId === 'string' ? taskId : undefined;
}

function messageAttributes(transport: Transport, topic: string, message: BusMessage, operation: 'send' | 'process'): Attributes {
  const attributes: Attributes = {
    [SPAN_ATTRIBUTES.messagingSystem]: transport,
    [SPAN_ATTRIBUTES.destination]: topic,
    [SPAN_ATTRIBUTES.operationType]: operation,
    [SPAN_ATTRIBUTES.messageId]: message.id,
    [SPAN_ATTRIBUTES.goalId]: message.goalId,
    [SPAN_ATTRIBUTES.messageKind]: message.kind,
  };
  const taskId = taskIdOf(message);
  if (taskId !== undefined) attributes[SPAN_ATTRIBUTES.taskId] = taskId;
  return attributes;
}

/** A producer span's attributes; the partition only when the publisher names one (else the key decides it). */
export function publishAttributes(transport: Transport, outbound: OutboundMessage): Attributes {
  const attributes = messageAttributes(transport, outbound.topic, outbound.message, 'send');
  if (transport === 'kafka' && outbound.partition !== undefined) attributes[SPAN_ATTRIBUTES.kafkaPartition] = outbound.partition;
  return attributes;
}

/** A consumer span's attributes; Kafka's partition and offset (the in-process bus has neither). */
export function deliveryAttributes(transport: Transport, delivery: Delivery): Attributes {
  const attributes = messageAttributes(transport, delivery.topic, delivery.message, 'process');
  attributes[SPAN_ATTRIBUTES.deliveryCount] = delivery.deliveryCount;
  if (transport === 'kafka') {
    attributes[SPAN_ATTRIBUTES.kafkaPartition] = delivery.partition;
    attributes[SPAN_ATTRIBUTES.kafkaOffset] = delivery.offset;
  }
  return attributes;
}
