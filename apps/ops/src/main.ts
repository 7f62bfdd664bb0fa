import 'reflect-metadata';
import { runOps } from './cli/run-ops';

/** Operator commands (`dlq-replay`, `memory-inspect`); see `OPS_USAGE`. */
runOps(process.argv.slice(2), process.env, { out: (text) => console.log(text), err: (text) => console.error(text) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
