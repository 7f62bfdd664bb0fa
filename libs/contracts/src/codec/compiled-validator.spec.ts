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
  ['result', () => sampleFailedResult()],
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
