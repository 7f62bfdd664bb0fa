/**
 * Regenerate the committed JSON Schemas (libs/contracts/schemas/*.schema.json) after changing a DTO:
 *
 *   npm run schemas -w @agentos/contracts
 *   # same as: npx nx run contracts:schemas
 *   #      or: node tools/scripts/run-ts.js libs/contracts/src/schema/write-json-schemas.ts [outDir]
 *   # or compiled (dist/ is git-ignored):
 *   #   npx swc libs/contracts/src -d dist/schemagen --config-file .swcrc
 *   #   node -r reflect-metadata dist/schemagen/libs/contracts/src/schema/write-json-schemas.js libs/contracts/schemas
 *
 * Writes every schema and deletes stale `*.schema.json` files; json-schemas.spec.ts fails until this is run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderJsonSchemaFiles, SCHEMAS_DIR } from './json-schema-files';

const SCHEMA_FILE = /\.schema\.json$/;

export function writeJsonSchemas(outDir: string = SCHEMAS_DIR): { written: string[]; removed: string[] } {
  const files = renderJsonSchemaFiles();
  fs.mkdirSync(outDir, { recursive: true });
  const removed = fs.readdirSync(outDir).filter((name) => SCHEMA_FILE.test(name) && !files.has(name));
  for (const name of removed) fs.rmSync(path.join(outDir, name));
  for (const [name, content] of files) fs.writeFileSync(path.join(outDir, name), content, 'utf8');
  return { written: [...files.keys()], removed };
}

if (require.main === module) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : SCHEMAS_DIR;
  const { written, removed } = writeJsonSchemas(outDir);
  console.log(`wrote ${written.length} schemas to ${path.relative(process.cwd(), outDir) || '.'}: ${written.join(', ')}`);
  if (removed.length > 0) console.log(`removed stale: ${removed.join(', ')}`);
}
