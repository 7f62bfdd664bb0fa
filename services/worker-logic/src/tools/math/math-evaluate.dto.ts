import { IsOptional, IsString, Length, registerDecorator, ValidationOptions } from 'class-validator';
import { HasIdentifierKeys } from '../shared/identifier-keys.decorator';
import { IsNumericScope, ScopeValue } from './numeric-scope.decorator';

export const MAX_MATH_EXPRESSION_LENGTH = 2_000;
export const MAX_SCOPE_VARIABLES = 100;
export const MAX_SCOPE_NUMBERS = 100_000;

export class MathEvaluateInput {
  /** mathjs syntax: `sqrt(a^2 + b^2)`, `det(M)`, `5 cm to inch`, `x = 2; x^3`. */
  @IsString()
  @Length(1, MAX_MATH_EXPRESSION_LENGTH)
  readonly expression!: string;

  /** Variables the expression reads: numbers, vectors or matrices. */
  @IsOptional()
  @HasIdentifierKeys(MAX_SCOPE_VARIABLES)
  @IsNumericScope(MAX_SCOPE_NUMBERS)
  readonly scope?: Record<string, ScopeValue>;
}

export class MathEvaluateOutput {
  /** A number when the result is a real number a JSON number states exactly; otherwise mathjs's text for it. */
  @IsFiniteNumberOrString()
  readonly value!: number | string;

  /** mathjs's name for the result's type: `number`, `boolean`, `DenseMatrix`, `Unit`, `Complex`, `Fraction`... */
  @IsString()
  @Length(1, 64)
  readonly type!: string;
}

function IsFiniteNumberOrString(validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isFiniteNumberOrString',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a finite number or a string', ...validationOptions },
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)),
      },
    });
  };
}
