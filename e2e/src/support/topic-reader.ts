import { decode, GoalEventMessage, TERMINAL_GOAL_EVENTS } from '@agentos/contracts';
import { uniqueName, waitFor } from '@agentos/test-kit';
import { Consumer, Kafka } from 'kafkajs';

export interface RawRecord {
  readonly key: string | undefined;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/** Reads a topic from the beginning into memory, with a plain kafkajs consumer. */
export class TopicReader {
  readonly records: RawRecord[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = value.toString();
        this.records.push({ key: message.key?.toString(), value: message.value, headers });
      },
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** Follows the events topic and indexes goal events by goal. */
export class EventLog extends TopicReader {
  events(goalId?: string): GoalEventMessage[] {
    const events: GoalEventMessage[] = [];
    for (const record of this.records) {
      const decoded = decode(this.topicName, record.value);
      if (decoded.ok && decoded.message.kind === 'event' && (goalId === undefined || decoded.message.goalId === goalId)) {
        events.push(decoded.message);
      }
    }
    return events;
  }

  constructor(kafka: Kafka, private readonly topicName: string) {
    super(kafka, topicName);
  }

  async terminal(goalId: string, timeoutMs = 60_000): Promise<GoalEventMessage> {
    return waitFor(() => this.events(goalId).find((event) => TERMINAL_GOAL_EVENTS.includes(event.type)), {
      timeoutMs,
      description: `goal ${goalId} to finish`,
    });
  }
}
