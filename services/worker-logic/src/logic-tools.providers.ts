import { Tool } from '@agentos/worker-kit';
import { WorkerLogicConfig } from './config/worker-logic.config';
import { createLogicTools } from './tools';

/** The logic worker's tools, built from validated configuration (tool defaults for the rest). */
export function createConfiguredLogicTools(config: WorkerLogicConfig): Tool[] {
  return createLogicTools({
    jsonata: { maxEvalMs: config.LOGIC_JSONATA_MAX_EVAL_MS, maxDepth: config.LOGIC_JSONATA_MAX_DEPTH },
    csvParse: { maxRows: config.LOGIC_CSV_MAX_ROWS },
    mathEvaluate: { maxMatrixElements: config.LOGIC_MATH_MAX_MATRIX_ELEMENTS },
  });
}
