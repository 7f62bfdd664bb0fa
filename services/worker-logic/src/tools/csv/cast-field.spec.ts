import { castField } from './cast-field';

describe('castField', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['2.50', 2.5],
    ['-3.5e2', -350],
    ['1E-3', 0.001],
    ['9007199254740991', 9007199254740991],
  ])('reads %j as the number %j', (raw, expected) => {
    expect(castField(raw)).toBe(expected);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['False', false],
  ])('reads %j as the boolean %j', (raw, expected) => {
    expect(castField(raw)).toBe(expected);
  });

  it.each([
    ['', 'empty stays empty'],
    ['007', 'leading zeros are identifiers'],
    ['+5', 'explicit plus sign'],
    ['.5', 'no leading digit'],
    ['5.', 'no trailing digits'],
    ['1,000', 'grouped thousands'],
    ['0x1F', 'hexadecimal'],
    ['Infinity', 'not a finite number'],
    ['NaN', 'not a number'],
    ['1e400', 'overflows to Infinity'],
    ['9007199254740993', 'integer beyond 2^53 would lose digits'],
    [' 5', 'surrounding whitespace (trim is off)'],
    ['yes', 'not a boolean'],
  ])('keeps %j as text (%s)', (raw) => {
    expect(castField(raw)).toBe(raw);
  });
});
