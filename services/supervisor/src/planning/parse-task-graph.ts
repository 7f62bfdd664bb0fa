import { compileValidator, plainToDto, TaskGraph, TaskGraphDto } from '@agentos/contracts';
import { ValidationError, validateSync } from 'class-validator';
import { ParseResult } from '../llm/llm-client';

const validTaskGraph = compileValidator(TaskGraphDto);

function problems(errors: readonly ValidationError[], parent = '', into: string[] = []): string[] {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) into.push(`${path}: ${Object.values(error.constraints).join('; ')}`);
    if (error.children?.length) problems(error.children, path, into);
  }
  return into;
}

/** Whether a model's answer is a TaskGraph by the wire contract's own rules (the same DTO a Goal's plan passes). */
export function parseTaskGraph(value: unknown): ParseResult<TaskGraph> {
  const instance = plainToDto(TaskGraphDto, value);
  if (validTaskGraph(instance)) return { ok: true, value: value as TaskGraph };
  const found = instance instanceof Object ? problems(validateSync(instance, { forbidUnknownValues: true })) : [];
  return { ok: false, errors: found.length > 0 ? found.slice(0, 30) : ['the answer must be a JSON object: { "tasks": [...], "outputs": [...] }'] };
}
