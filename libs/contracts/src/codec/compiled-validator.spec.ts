import { validateSync } from 'class-validator';
// The differential fuzz against class-validator is in libs/test-kit/src/fuzz (it shares the mutator with the tools' specs).
import { MessageKind } from '../envelope/message-kind';
import { MESSAGE_DTOS } from '../messages/agent-message';
import {
  asPlain,
  sampleCapabilities,
  sampleControl,
  sampleEvent,
  sampleFailedResult,
  sampleGoal,
  sampleSucceededResult,
  sampleTask,
} from '../testing/sample-messages';
import { compileValidator } from './compiled-validator';
import { plainToDto } from './plain-to-dto';

const SAMPLES: Array<[MessageKind, () => object]> = [
  ['goal', () => sampleGoal()],
  ['task', () => sampleTask()],
  ['result', () => sampleSucceededResult()],
  ['result', () => sampleSucceededResult({ cost: undefined })],
  ['result', () => sampleFailedResult()],
  ['result', () => sampleFailedResult({ cost: 0 })],
  ['control', () => sampleControl()],
  ['event', () => sampleEvent()],
  ['capabilities', () => sampleCapabilities()],
];

describe('compiled validator', () => {
  it('accepts every valid sample', () => {
    for (const [kind, sample] of SAMPLES) {
      const dto = MESSAGE_DTOS[kind] as new () => object;
      expect(compileValidator(dto)(plainToDto(dto, asPlain(sample())))).toBe(true);
    }
  });

  it('rejects what is not an object, and objects of classes without rules', () => {
    const validate = compileValidator(MESSAGE_DTOS.task);
    for (const value of [null, undefined, 1, 'task', [sampleTask()], {}]) expect(validate(value)).toBe(false);
  });

  it('with forbidUnknownProperties, rejects unknown fields as whitelist + forbidNonWhitelisted does', () => {
    const dto = MESSAGE_DTOS.task;
    const strict = compileValidator(dto, { forbidUnknownProperties: true });
    const plain = asPlain(sampleTask());
    expect(strict(plainToDto(dto, plain))).toBe(true);
    const extra = plainToDto(dto, { ...plain, surprise: 1 });
    expect(strict(extra)).toBe(false);
    expect(validateSync(extra as object, { whitelist: true, forbidNonWhitelisted: true }).length).toBeGreaterThan(0);
    expect(compileValidator(dto)(extra)).toBe(true);
  });
});

describe('result cost: the compiled validator and class-validator agree', () => {
  const dto = MESSAGE_DTOS.result;
  const compiled = compileValidator(dto);
  const shapes = [sampleSucceededResult, sampleFailedResult];

  /** Both verdicts on each result shape with this cost (`undefined`: the field left out). */
  function verdicts(cost: unknown): Array<[boolean, boolean]> {
    return shapes.map((sample) => {
      const plain = asPlain(sample({ cost: undefined }));
      if (cost !== undefined) plain.cost = cost;
      const instance = plainToDto(dto, plain) as object;
      return [compiled(instance), validateSync(instance, { forbidUnknownValues: true }).length === 0];
    });
  }

  it.each<[string, unknown]>([
    ['0', 0],
    ['12.5', 12.5],
    ['the limit, 1e9', 1e9],
    ['absent', undefined],
    // @IsOptional skips null as it skips undefined; the JSON Schema (type number) does not.
    ['null', null],
  ])('accepts %s', (_name, cost) => {
    expect(verdicts(cost)).toEqual([
      [true, true],
      [true, true],
    ]);
  });

  it.each<[string, unknown]>([
    ['-1', -1],
    ['a tiny negative', -0.001],
    ['1e10, over the limit', 1e10],
    ['Infinity (JSON text 1e400 parses to it)', Infinity],
    ['NaN', NaN],
    ['the string "NaN"', 'NaN'],
    ['the string "12.5"', '12.5'],
    ['the string "Infinity"', 'Infinity'],
    ['"x"', 'x'],
    ['true', true],
    ['an array', [1]],
    ['an object', { units: 1 }],
  ])('rejects %s', (_name, cost) => {
    expect(verdicts(cost)).toEqual([
      [false, false],
      [false, false],
    ]);
  });
});
