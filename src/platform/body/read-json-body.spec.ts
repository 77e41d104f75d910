import { describe, expect, it } from '@jest/globals';
import { byteSize, readableSize } from './read-json-body.js';

describe(byteSize.name, () => {
  it('reads BODY_LIMIT values as body-parser does (1024-based)', () => {
    expect(byteSize('100kb')).toBe(102_400);
    expect(byteSize('1MB')).toBe(1_048_576);
    expect(byteSize('512')).toBe(512);
    expect(byteSize('1.5kb')).toBe(1536);
  });

  it('refuses a value that is not a size, rather than lifting the limit', () => {
    expect(() => byteSize('lots')).toThrow('Not a size: "lots"');
  });
});

describe(readableSize.name, () => {
  it('names a size in the largest 1024-based unit that keeps at least 1', () => {
    expect(readableSize(102_400)).toBe('100 KiB');
    expect(readableSize(512)).toBe('512 bytes');
    expect(readableSize(1536)).toBe('1.5 KiB');
    expect(readableSize(1_048_576)).toBe('1 MiB');
    expect(readableSize(1_100_000)).toBe('1 MiB');
  });
});
