export * from './wait/wait-for';
export * from './messages/sample-messages';
export * from './bus-contract';
export * from './kafka/provision-broker';
export * from './kafka/kafka-global-setup';
export * from './kafka/kafka-global-teardown';
export * from './processes/service-process';
export * from './tools/tool-harness';
