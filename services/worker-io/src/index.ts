export * from './config/worker-io.config';
export * from './io-tools.providers';
export * from './worker-io.app';
