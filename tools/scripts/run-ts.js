#!/usr/bin/env node
// Runs a TypeScript entry point of this repo with plain node:
//   node tools/scripts/run-ts.js <file.ts> [args...]
// Each .ts file is compiled in memory by @swc/core with the root .swcrc, so decorators,
// decorator metadata and the @agentos/* path aliases behave as they do under Jest.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const repoRoot = path.resolve(__dirname, '../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(repoRoot, '.swcrc'), 'utf8'));
// `exclude` keeps specs out of builds; here the caller names the file, so it does not apply.
const { exclude: _exclude, $schema: _schema, ...swcOptions } = swcrc;
const compileOptions = {
  ...swcOptions,
  swcrc: false,
  jsc: { ...swcOptions.jsc, baseUrl: repoRoot },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...compileOptions, filename });
  module._compile(code, filename);
};

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/scripts/run-ts.js <file.ts> [args...]');
  process.exit(2);
}
const entryPath = path.resolve(process.cwd(), entry);
process.argv = [process.argv[0], entryPath, ...args];
require(path.join(repoRoot, 'node_modules/reflect-metadata'));
Module.runMain(entryPath);
