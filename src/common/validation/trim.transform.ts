import { Transform } from 'class-transformer';

/** Trims a string value; anything else is left for the validators to reject. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}
