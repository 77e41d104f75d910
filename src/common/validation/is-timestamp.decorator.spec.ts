import { describe, expect, it } from '@jest/globals';
import { isTimestamp } from './is-timestamp.decorator.js';

describe(isTimestamp.name, () => {
  it.each([
    '2026-11-21T23:02:42.123Z',
    '2026-11-21T23:02:42Z',
    '2026-11-21T23:02Z',
    '2026-11-21T23:02:42+05:30',
    '2026-11-21T23:02:42.123456789-08:00',
    '2024-02-29T00:00:00Z',
  ])('accepts %s', (value) => {
    expect(isTimestamp(value)).toBe(true);
  });

  it.each([
    ['no time zone', '2026-11-21T23:02:42'],
    ['a date only', '2026-11-21'],
    ['February 30th', '2026-02-30T00:00:00Z'],
    ['February 29th of a common year', '2026-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['a year before 1000', '0999-01-01T00:00:00Z'],
    ['an offset beyond 14 hours', '2026-01-01T00:00:00+15:00'],
    ['free text', 'tomorrow'],
    ['a number', 1_700_000_000_000],
  ])('rejects %s', (_case, value) => {
    expect(isTimestamp(value)).toBe(false);
  });
});
