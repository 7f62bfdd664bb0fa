export * from './memory-report';
export * from './inspect-memory';
