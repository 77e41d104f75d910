import { describe, expect, it } from '@jest/globals';
import { etagOf, ifMatchAllows, parseIfMatch } from './etag.js';

describe('etag', () => {
  it('derives a strong tag from the version', () => {
    expect(etagOf(7)).toBe('"7"');
  });

  describe(parseIfMatch.name, () => {
    it('is undefined without a header', () => {
      expect(parseIfMatch(undefined)).toBeUndefined();
    });

    it('reads * as any version', () => {
      expect(parseIfMatch(' * ')).toEqual({ any: true });
    });

    it('reads a list of strong tags', () => {
      expect(parseIfMatch('"1", "3"')).toEqual({ any: false, versions: [1, 3] });
    });

    it('never matches weak or foreign tags (strong comparison)', () => {
      const condition = parseIfMatch('W/"2", "abc", 2');
      expect(condition).toEqual({ any: false, versions: [] });
      expect(ifMatchAllows(condition, 2)).toBe(false);
    });
  });

  describe(ifMatchAllows.name, () => {
    it('allows when there is no condition, for * and for a listed version only', () => {
      expect(ifMatchAllows(undefined, 4)).toBe(true);
      expect(ifMatchAllows({ any: true }, 4)).toBe(true);
      expect(ifMatchAllows({ any: false, versions: [3, 4] }, 4)).toBe(true);
      expect(ifMatchAllows({ any: false, versions: [3] }, 4)).toBe(false);
    });
  });
});
