import { compileValidator, plainToDto } from '@agentos/contracts';
import { validateSync } from 'class-validator';
import { mutateJson, seededRandom } from './json-mutations';

export interface DifferentialReport {
  readonly rounds: number;
  readonly rejected: number;
}

/**
 * Holds the compiled validator to class-validator's verdict on `rounds` mutations of valid
 * samples: throws, with the seed, round and input, at the first disagreement. `strict` is
 * the tool-input mode (unknown fields rejected: whitelist + forbidNonWhitelisted).
 */
export function compareWithClassValidator(
  dto: new () => object,
  samples: readonly unknown[],
  options: { rounds: number; seed: number; strict?: boolean },
): DifferentialReport {
  const strict = options.strict ?? false;
  const compiled = compileValidator(dto, { forbidUnknownProperties: strict });
  const random = seededRandom(options.seed);
  let rejected = 0;
  for (let round = 0; round < options.rounds; round++) {
    const input = round < samples.length ? samples[round] : mutateJson(samples[round % samples.length], random);
    const instance = plainToDto(dto, input);
    const expected =
      instance instanceof Object &&
      !Array.isArray(instance) &&
      validateSync(instance, { forbidUnknownValues: true, whitelist: strict, forbidNonWhitelisted: strict }).length === 0;
    const actual = compiled(instance);
    if (actual !== expected) {
      throw new Error(
        `${dto.name} seed ${options.seed} round ${round}: compiled validator says ${actual}, class-validator ${expected}, for ${JSON.stringify(input)?.slice(0, 2_000)}`,
      );
    }
    if (!expected) rejected++;
  }
  return { rounds: options.rounds, rejected };
}
