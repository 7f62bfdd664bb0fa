export * from './config/worker-logic.config';
export * from './logic-tools.providers';
export * from './worker-logic.app';
