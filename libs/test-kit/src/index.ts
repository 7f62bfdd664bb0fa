export * from './wait/wait-for';
export * from './messages/sample-messages';
export * from './bus-contract';
