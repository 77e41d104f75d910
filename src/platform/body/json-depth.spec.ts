import { describe, expect, it } from '@jest/globals';
import { nestsDeeperThan } from './json-depth.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe(nestsDeeperThan.name, () => {
  it('counts objects and arrays alike, up to the limit inclusive', () => {
    expect(nestsDeeperThan(bytes('{"a":[{"b":[]}]}'), 4)).toBe(false);
    expect(nestsDeeperThan(bytes('{"a":[{"b":[[]]}]}'), 4)).toBe(true);
  });

  it('measures depth, not the number of brackets', () => {
    expect(nestsDeeperThan(bytes(`[${'[],'.repeat(10_000)}[]]`), 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(bytes(`{"t":"${'[{'.repeat(100)}"}`), 1)).toBe(false);
    expect(nestsDeeperThan(bytes(`{"t":"\\"[[[[\\\\"}`), 1)).toBe(false);
    expect(nestsDeeperThan(bytes(`{"t":"\\\\",   "u":[[[]]]}`), 3)).toBe(true);
  });

  it('is not fooled by multi-byte characters', () => {
    expect(nestsDeeperThan(bytes('{"😀":["é","漢字"]}'), 2)).toBe(false);
  });

  it('stops early on a million levels, without recursion', () => {
    const deep = bytes('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    expect(nestsDeeperThan(deep, 32)).toBe(true);
  });
});
