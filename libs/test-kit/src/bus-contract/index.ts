export * from './bus-fixture';
export * from './bus-contract.suite';
export * from './span-recorder';
