export * from './embedder';
export * from './normalize-goal-text';
export * from './unit-vector';
export * from './local-hash-embedder';
export * from './embedding-error';
export * from './openai-embedder';
export * from './embedding.config';
export * from './create-embedder';
