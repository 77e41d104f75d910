import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`): a local time
 * without one is ambiguous. Every field is range-checked here, because
 * `Date.parse` quietly rolls over values such as February 30th.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second = 0, , offsetHour = 0, offsetMinute = 0] = match
    .slice(1)
    .map((part) => (part === undefined || part === '+' || part === '-' ? undefined : Number(part)));
  const daysInMonth = new Date(Date.UTC(year!, month, 0)).getUTCDate();
  return (
    year! >= 1000 &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second <= 59 &&
    offsetHour <= 14 &&
    offsetMinute <= 59
  );
}

export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: isTimestamp,
        defaultMessage: () => 'must be an ISO 8601 timestamp with a time zone, e.g. 2026-01-31T17:00:00Z',
      },
    },
    options,
  );
}
