export * from './memory-store-error';
export * from './memory.config';
export * from './create-memory-store';
export * from './sqlite-memory-store';
export * from './postgres-memory-store';
export { encodeEmbedding, decodeEmbedding } from './embedding-codec';
export { redactDatabaseUrl, isPostgresUrl } from './database-url';
export { validateRunMemory, RUN_MEMORY_LIMITS } from './run-memory-validation';
