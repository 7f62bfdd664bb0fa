import { dtoJsonSchema, JsonObject, LIMITS, ToolCapability } from '@agentos/contracts';
import { Tool } from '../tools/tool';

/** A schema that admits any object, for a DTO the generator could not describe. */
function unavailableSchema(reason: string): JsonObject {
  return { type: 'object', description: `Schema unavailable (${reason}); the worker validates the value itself.`.slice(0, 1_000) };
}

function safeSchema(dto: Tool['input'], unknownFields: 'reject' | 'allow'): JsonObject {
  try {
    return dtoJsonSchema(dto, { unknownFields });
  } catch (error) {
    return unavailableSchema(error instanceof Error ? error.message : String(error));
  }
}

function boundedDescription(tool: Tool): string {
  const description = tool.description.trim() || `The ${tool.name} tool.`;
  return description.length <= LIMITS.maxToolDescriptionLength ? description : `${description.slice(0, LIMITS.maxToolDescriptionLength - 1)}…`;
}

/**
 * What a worker announces about each of its tools. Inputs reject unknown fields (as the
 * executor does), so their schemas say so. Computed once per instance: DTO classes do not change.
 */
export function toolCapabilities(tools: readonly Tool[]): ToolCapability[] {
  if (tools.length > LIMITS.maxToolsPerWorker) {
    throw new Error(`a worker may announce at most ${LIMITS.maxToolsPerWorker} tools, this one has ${tools.length}`);
  }
  return tools.map((tool) => ({
    name: tool.name,
    description: boundedDescription(tool),
    sideEffects: tool.sideEffects,
    inputSchema: safeSchema(tool.input, 'reject'),
    outputSchema: safeSchema(tool.output, 'allow'),
  }));
}
