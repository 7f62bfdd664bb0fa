import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { describeDtoViolations, DtoViolation, validateDto, violationsToJson } from './dto-validation';

class Limits {
  @IsInt()
  @Min(1)
  @Max(10)
  readonly retries!: number;
}

class Item {
  @IsString()
  @MaxLength(8)
  readonly name!: string;
}

class Request {
  @IsString()
  readonly url!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Limits)
  readonly limits?: Limits;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => Item)
  readonly items?: Item[];
}

const paths = (violations: readonly DtoViolation[]): string[] => violations.map((violation) => violation.path).sort();

function violationsOf(plain: unknown, mode: 'input' | 'output'): DtoViolation[] {
  const result = validateDto(Request, plain, mode);
  if (result.ok) throw new Error(`expected violations for ${JSON.stringify(plain)}`);
  return result.violations;
}

describe('validateDto', () => {
  it.each(['input', 'output'] as const)('accepts a valid %s and returns a DTO instance', (mode) => {
    const result = validateDto(Request, { url: 'https://x', limits: { retries: 2 }, items: [{ name: 'a' }] }, mode);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toBeInstanceOf(Request);
    expect(result.value.limits).toBeInstanceOf(Limits);
    expect(result.value).toEqual({ url: 'https://x', limits: { retries: 2 }, items: [{ name: 'a' }] });
  });

  it('rejects unknown input fields, at the top level and nested, naming each', () => {
    const violations = violationsOf({ url: 'x', mystery: 1, limits: { retries: 1, extra: true }, items: [{ name: 'a', colour: 'red' }] }, 'input');
    expect(paths(violations)).toEqual(['items.0.colour', 'limits.extra', 'mystery']);
    expect(violations.find((violation) => violation.path === 'mystery')!.problems).toEqual(['property mystery should not exist']);
  });

  it('allows extra fields in outputs (a tool may say more than its contract)', () => {
    const result = validateDto(Request, { url: 'x', mystery: 1, limits: { retries: 1, extra: true } }, 'output');
    expect(result.ok).toBe(true);
  });

  it('still checks declared fields of outputs', () => {
    expect(paths(violationsOf({ url: 3, extra: 'fine' }, 'output'))).toEqual(['url']);
  });

  it('names nested violations by their full path, array indexes included', () => {
    const violations = violationsOf({ url: 'x', limits: { retries: 11 }, items: [{ name: 'ok' }, { name: 'far too long' }, { name: 7 }] }, 'input');
    expect(paths(violations)).toEqual(['items.1.name', 'items.2.name', 'limits.retries']);
    expect(violations.find((violation) => violation.path === 'limits.retries')!.problems).toEqual(['retries must not be greater than 10']);
  });

  it('reports every problem of one field', () => {
    const [violation] = violationsOf({ url: 'x', limits: { retries: 'many' } }, 'input');
    expect(violation!.path).toBe('limits.retries');
    expect(violation!.problems.length).toBeGreaterThanOrEqual(2);
  });

  it('does not convert types implicitly: "3" is not an integer', () => {
    expect(paths(violationsOf({ url: 'x', limits: { retries: '3' } }, 'input'))).toEqual(['limits.retries']);
  });

  it('rejects a missing required field', () => {
    expect(paths(violationsOf({}, 'input'))).toEqual(['url']);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'x'],
    ['a number', 3],
    ['an array', [{ url: 'x' }]],
  ])('reports (does not throw on) %s where an object is required', (_name, plain) => {
    for (const mode of ['input', 'output'] as const) {
      const result = validateDto(Request, plain, mode);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.violations).toHaveLength(1);
      expect(typeof result.violations[0]!.path).toBe('string');
      expect(result.violations[0]!.problems.join(' ')).toMatch(/object/);
    }
  });
});

describe('violationsToJson / describeDtoViolations', () => {
  const violations: DtoViolation[] = [
    { path: 'a', problems: ['a must be a string'] },
    { path: 'b.c', problems: ['c must be an integer', 'c must not be less than 1'] },
  ];

  it('describes violations on one line', () => {
    expect(describeDtoViolations(violations)).toBe('a: a must be a string | b.c: c must be an integer; c must not be less than 1');
  });

  it('turns violations into JSON details', () => {
    expect(violationsToJson(violations)).toEqual({ violations: [
      { path: 'a', problems: ['a must be a string'] },
      { path: 'b.c', problems: ['c must be an integer', 'c must not be less than 1'] },
    ] });
    expect(JSON.parse(JSON.stringify(violationsToJson(violations)))).toEqual(violationsToJson(violations));
  });

  it('keeps at most 20 violations in the details', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ path: `f${i}`, problems: ['bad'] }));
    const details = violationsToJson(many) as { violations: { path: string }[] };
    expect(details.violations).toHaveLength(20);
    expect(details.violations[0]!.path).toBe('f0');
  });
});
