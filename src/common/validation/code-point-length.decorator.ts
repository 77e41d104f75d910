import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * String length in Unicode code points (an emoji is one), as the contract and
 * PostgreSQL's `char_length` count — not UTF-16 units like `String.length`.
 */
export function CodePointLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'codePointLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const length = [...value].length;
          return length >= min && length <= max;
        },
        defaultMessage: () =>
          min === 0 ? `must be at most ${max} characters` : `must be between ${min} and ${max} characters`,
      },
    },
    options,
  );
}
