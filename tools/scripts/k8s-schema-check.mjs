#!/usr/bin/env node
// Validates Kubernetes objects offline against the Kubernetes OpenAPI schemas and the Strimzi
// and KEDA CRD schemas that the kubernetes-models packages bundle, in two passes:
//   1. each model's compiled JSON Schema validator (types, required fields, enums, patterns);
//   2. the TypeScript compiler against the same packages' type declarations, which rejects
//      fields the schema does not know (a misspelt or misindented field that the API server
//      would drop, or refuse under strict field validation, and the first pass lets through).
//
//   kubectl kustomize k8s/overlays/prod | node tools/scripts/k8s-schema-check.mjs [--json]
//
// Reads a YAML (or JSON) stream on stdin; `kind: List` documents are expanded. Prints one line
// per problem, or with --json `{"checked": n, "problems": [{"index", "resource", "message"}]}`.
// Exits 0 when every object is valid, 1 when some are not, 2 when it could not check at all.
// A plain ESM script because the kubernetes-models packages are ESM-only; the Jest tests and
// `npm run k8s:validate` run it as a child process (deploy/src/k8s/schema/schema-check.ts).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;

/** The package (and folder inside it) whose model describes an apiVersion, or undefined. */
function modelModule(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !KIND.test(kind)) return undefined;
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (!VERSION.test(version) || !/^[a-z0-9.-]*$/.test(group)) return undefined;
  if (group === '') return `kubernetes-models/${version}/${kind}`;
  if (group.endsWith('strimzi.io')) return `@kubernetes-models/strimzi-kafka-operator/${group}/${version}/${kind}`;
  if (group === 'keda.sh' || group.endsWith('.keda.sh')) return `@kubernetes-models/keda/${group}/${version}/${kind}`;
  return `kubernetes-models/${group}/${version}/${kind}`;
}

function describe(resource) {
  const metadata = resource && typeof resource === 'object' ? resource.metadata ?? {} : {};
  const namespace = metadata.namespace ? `${metadata.namespace}/` : '';
  return `${resource?.kind ?? '?'}/${namespace}${metadata.name ?? '?'}`;
}

async function validateWithSchemas(resources, problems) {
  for (const [index, resource] of resources.entries()) {
    const specifier = modelModule(resource?.apiVersion, resource?.kind);
    let Model;
    try {
      if (!specifier) throw new Error('unsupported');
      Model = (await import(specifier))[resource.kind];
    } catch {
      Model = undefined;
    }
    if (typeof Model !== 'function') {
      problems.push({ index, resource: describe(resource), message: `no schema for ${resource?.apiVersion} ${resource?.kind}` });
      continue;
    }
    try {
      new Model(resource).validate();
    } catch (error) {
      problems.push({ index, resource: describe(resource), message: error.message });
    }
  }
}

/** One line per object: `import type {I<Kind> as T<i>} from '<model>'; export const r<i>: T<i> = <object>;` */
function validateWithTypes(resources, problems) {
  const ts = require('typescript');
  const lines = resources.map((resource, index) => {
    const specifier = modelModule(resource?.apiVersion, resource?.kind);
    if (!specifier) return '';
    return `import type { I${resource.kind} as T${index} } from '${specifier}'; export const r${index}: T${index} = ${JSON.stringify(resource)};`;
  });
  const fileName = join(repoRoot, '__k8s_schema_check__.ts');
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === fileName ? ts.createSourceFile(name, lines.join('\n'), languageVersion) : getSourceFile.call(host, name, languageVersion, ...rest);
  host.fileExists = (name) => name === fileName || fileExists.call(host, name);
  host.readFile = (name) => (name === fileName ? lines.join('\n') : readFile.call(host, name));
  const program = ts.createProgram([fileName], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file?.fileName !== fileName || diagnostic.start === undefined) {
      problems.push({ index: -1, resource: '-', message: `type check: ${message}` });
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const path = pathAt(diagnostic.file.text, diagnostic.start, lines[line], diagnostic.file.getPositionOfLineAndCharacter(line, 0));
    problems.push({ index: line, resource: describe(resources[line]), message: `${path ? `${path}: ` : ''}${message}` });
  }
}

/** The JSON path of the property at `position`, to say where in the object an unknown field sits. */
function pathAt(text, position, line, lineStart) {
  const objectStart = line.indexOf('= {') + 2;
  if (objectStart < 2) return '';
  const stack = [];
  let key = '';
  let inString = false;
  let token = '';
  for (let offset = lineStart + objectStart; offset < position; offset++) {
    const char = text[offset];
    if (inString) {
      if (char === '\\') token += text[++offset];
      else if (char === '"') inString = false;
      else token += char;
      continue;
    }
    if (char === '"') {
      inString = true;
      token = '';
    } else if (char === ':') key = token;
    else if (char === '{' || char === '[') {
      const insideArray = stack.length === 0 || stack[stack.length - 1].isArray;
      stack.push({ name: insideArray ? '' : char === '[' ? `${key}[]` : key, isArray: char === '[' });
    } else if (char === '}' || char === ']') stack.pop();
  }
  return stack
    .map((entry) => entry.name)
    .filter(Boolean)
    .join('.');
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function parseStream(text) {
  const resources = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors.map((error) => error.message).join('; ')}`);
    const value = document.toJS();
    if (value === null || value === undefined) continue;
    if (value.kind === 'List' && Array.isArray(value.items)) resources.push(...value.items);
    else resources.push(value);
  }
  return resources;
}

async function main() {
  const json = process.argv.includes('--json');
  const resources = parseStream(await readStdin());
  const problems = [];
  await validateWithSchemas(resources, problems);
  validateWithTypes(resources, problems);
  problems.sort((a, b) => a.index - b.index);
  if (json) process.stdout.write(`${JSON.stringify({ checked: resources.length, problems })}\n`);
  else {
    for (const problem of problems) console.log(`${problem.resource}: ${problem.message}`);
    console.log(`${resources.length} objects checked, ${problems.length} problems`);
  }
  process.exitCode = problems.length === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`k8s-schema-check: ${error.message}`);
  process.exitCode = 2;
});
