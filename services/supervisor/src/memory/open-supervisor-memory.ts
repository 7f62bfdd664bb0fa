import { createEmbedder, createMemoryStore, EmbeddingConfig, MemoryConfig, memoryStoreOptions } from '@agentos/memory';
import { SupervisorMemory } from './supervisor-memory';
import { SupervisorMemoryConfig } from './supervisor-memory.config';

/** Memory's three configs, loaded from the environment by the service. */
export interface SupervisorMemoryOptions {
  readonly config: SupervisorMemoryConfig;
  readonly store: MemoryConfig;
  readonly embedding: EmbeddingConfig;
}

/**
 * Opens the store (migrating it), the embedder, and loads what was learned; undefined when
 * memory is off. A store that cannot be opened fails the start: a supervisor configured to
 * learn must not run silently without it.
 */
export async function openSupervisorMemory(options: SupervisorMemoryOptions): Promise<SupervisorMemory | undefined> {
  if (options.config.SUPERVISOR_MEMORY === 'off') return undefined;
  const store = await createMemoryStore(memoryStoreOptions(options.store));
  try {
    return await SupervisorMemory.open(store, createEmbedder(options.embedding), options.config);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
