/**
 * The raw baseline's worker, a child process of the bench: consumes the request topic and
 * produces one reply per request to the reply topic, with the same key, nothing else. Same
 * kafkajs settings as AgentOS's bus; commits like it too (periodically, only what was answered). Prints ECHO_READY once it holds partitions.
 *
 * Environment: ECHO_BROKERS, ECHO_REQUEST_TOPIC, ECHO_REPLY_TOPIC, ECHO_GROUP, ECHO_REPLY_BYTES.
 */
import { BatchedSender } from './batched-sender';
import { ECHO_READY } from './echo-process';
import { PeriodicCommitter } from './periodic-committer';
import { benchKafka, BUS_CONSUMER_TUNING, busLikeConsumer, busLikeProducer } from './kafka-settings';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`echo-worker: ${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const brokers = required('ECHO_BROKERS').split(',');
  const replyTopic = required('ECHO_REPLY_TOPIC');
  const reply = Buffer.alloc(Number(required('ECHO_REPLY_BYTES')), 'r');
  const kafka = benchKafka(brokers, 'bench-echo-worker');
  const producer = kafka.producer(busLikeProducer());
  const consumer = kafka.consumer(busLikeConsumer(required('ECHO_GROUP')));
  const fail = (error: Error): void => {
    console.error(`echo-worker: ${error.message}`);
    process.exit(1);
  };
  const sender = new BatchedSender(producer, replyTopic, fail);

  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [required('ECHO_REQUEST_TOPIC')], fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () => console.log(ECHO_READY));
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(payload.error);
  });
  // A request is committed once its reply is acknowledged (at-least-once, as AgentOS's bus).
  const committer = new PeriodicCommitter(consumer, BUS_CONSUMER_TUNING.commitIntervalMs);
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: BUS_CONSUMER_TUNING.partitionsConsumedConcurrently,
    eachBatch: async ({ batch, resolveOffset }) => {
      const { topic, partition } = batch;
      for (const message of batch.messages) {
        sender.send({ key: message.key, value: reply }, () => committer.finished(topic, partition, message.offset));
        resolveOffset(message.offset);
      }
    },
  });

  const stop = async (): Promise<void> => {
    consumer.pause([{ topic: required('ECHO_REQUEST_TOPIC') }]);
    await sender.idle(10_000);
    await committer.stop();
    await consumer.disconnect();
    await producer.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop().catch(fail));
  process.once('SIGINT', () => void stop().catch(fail));
}

main().catch((error: Error) => {
  console.error(`echo-worker: ${error.stack ?? error.message}`);
  process.exit(1);
});
