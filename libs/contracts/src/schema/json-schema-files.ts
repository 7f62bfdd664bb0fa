import * as path from 'node:path';
import { buildJsonSchemas } from './json-schemas';
import { schemaFileName, SchemaName } from './schema-catalog';

/** Where the generated schemas are committed. */
export const SCHEMAS_DIR = path.resolve(__dirname, '../../schemas');

/** How to bring the committed schemas up to date (shown by the staleness test). */
export const REGENERATE_COMMAND = 'npm run schemas -w @agentos/contracts  (or: npx nx run contracts:schemas)';

/** Every schema file's name and exact content: pretty-printed JSON with a trailing newline. */
export function renderJsonSchemaFiles(): Map<string, string> {
  const schemas = buildJsonSchemas();
  const files = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    files.set(schemaFileName(name as SchemaName), `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}
