/** Jest globalTeardown paired with kafka-global-setup: stops the broker that setup started. */
import { getKafkaGlobalState, setKafkaGlobalState } from './kafka-global-state';

export async function kafkaGlobalTeardown(): Promise<void> {
  const state = getKafkaGlobalState();
  if (!state) return;
  state.refs -= 1;
  if (state.refs > 0) return;
  setKafkaGlobalState(undefined);
  try {
    await state.broker.stop(); // a no-op when the broker came from KAFKA_BROKERS
  } finally {
    if (state.previousKafkaBrokers === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = state.previousKafkaBrokers;
  }
}

export default function jestKafkaGlobalTeardown(): Promise<void> {
  return kafkaGlobalTeardown();
}
