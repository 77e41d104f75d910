import { describe, expect, it } from '@jest/globals';
import { isoTimestamp } from './row-types.js';

describe(isoTimestamp.name, () => {
  it.each([
    ['2026-11-22 03:28:37.295+00', '2026-11-22T03:28:37.295Z'],
    ['2026-11-22 03:28:37.29+00', '2026-11-22T03:28:37.290Z'],
    ['2026-11-22 03:28:37.2+00', '2026-11-22T03:28:37.200Z'],
    ['2026-11-22 03:28:37+00', '2026-11-22T03:28:37.000Z'],
    ['0999-01-02 00:00:00.001+00', '0999-01-02T00:00:00.001Z'],
  ])('writes the UTC text %s as %s', (text, iso) => {
    expect(isoTimestamp(text)).toBe(iso);
  });

  it('agrees with the Date round trip it replaces', () => {
    for (const iso of ['2024-02-29T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '1970-01-01T00:00:00.010Z']) {
      const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}+00`;
      expect(isoTimestamp(text)).toBe(new Date(iso).toISOString());
    }
  });

  it('converts other offsets to UTC', () => {
    expect(isoTimestamp('2026-11-22 04:28:37.295+01')).toBe('2026-11-22T03:28:37.295Z');
    expect(isoTimestamp('2026-11-21 22:58:37.5-04:30')).toBe('2026-11-22T03:28:37.500Z');
  });

  it('keeps infinite timestamps as PostgreSQL names them', () => {
    expect(isoTimestamp('infinity')).toBe('infinity');
    expect(isoTimestamp('-infinity')).toBe('-infinity');
  });
});
