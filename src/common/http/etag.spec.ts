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
      const condition = parseIfMatch('W/"2", "abc", "02", "", "9999999999"');
      expect(condition).toEqual({ any: false, versions: [] });
      expect(ifMatchAllows(condition ?? undefined, 2)).toBe(false);
    });

    it('reads list syntax as RFC 9110 §5.6.1 has it: empty elements, spaces, tabs, commas inside a tag', () => {
      expect(parseIfMatch(', "1" ,,\t"2",')).toEqual({ any: false, versions: [1, 2] });
      expect(parseIfMatch('"a,b", "4"')).toEqual({ any: false, versions: [4] });
      expect(parseIfMatch(['"1"', 'W/"2", "3"'])).toEqual({ any: false, versions: [1, 3] });
    });

    it.each([
      ['an unquoted version', '2'],
      ['an unquoted version among tags', '"1", 2'],
      ['an unclosed quote', '"2'],
      ['two tags without a comma', '"1" "2"'],
      ['a quote inside a tag', '"a"b"'],
      ['a lower-case weak prefix', 'w/"2"'],
      ['* in a list', '*, "2"'],
      ['an empty value', ''],
      ['only commas', ' , ,'],
      ['a control character', '"\u0001"'],
    ])('is null (a 400) for %s', (_name, header) => {
      expect(parseIfMatch(header)).toBeNull();
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
