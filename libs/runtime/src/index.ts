export * from './errors/agentos-error';
export * from './concurrency/semaphore';
export * from './concurrency/fifo-queue';
export * from './bus/message-bus';
export * from './bus/redelivery-backoff';
export * from './bus/in-process/in-process-bus';
