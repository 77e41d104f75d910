import { describe, expect, it } from '@jest/globals';
import { containsPattern } from './search-pattern.js';

describe(containsPattern.name, () => {
  it('wraps the text in wildcards', () => {
    expect(containsPattern('report')).toBe('%report%');
  });

  it('escapes %, _ and the escape character itself', () => {
    expect(containsPattern('50%_off\\now')).toBe('%50\\%\\_off\\\\now%');
  });
});
