import type { ProvisionedKafkaBroker } from './provision-broker';

/**
 * Shared by kafka-global-setup and kafka-global-teardown. Jest runs both in its parent process,
 * and globals set in globalSetup are visible to globalTeardown. Reference-counted, so several
 * projects of one multi-project run can list the same setup and share one broker.
 */
export interface KafkaGlobalState {
  broker: ProvisionedKafkaBroker;
  refs: number;
  /** KAFKA_BROKERS before setup, restored by the last teardown. */
  previousKafkaBrokers: string | undefined;
}

const KEY = Symbol.for('@agentos/test-kit/kafka-global-state');

type WithState = { [KEY]?: KafkaGlobalState };

export function getKafkaGlobalState(): KafkaGlobalState | undefined {
  return (globalThis as WithState)[KEY];
}

export function setKafkaGlobalState(state: KafkaGlobalState | undefined): void {
  if (state) (globalThis as WithState)[KEY] = state;
  else delete (globalThis as WithState)[KEY];
}
