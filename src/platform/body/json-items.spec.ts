import { describe, expect, it } from '@jest/globals';
import { holdsMoreItemsThan } from './json-items.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('holdsMoreItemsThan', () => {
  it('counts object members and array elements, nested ones included', () => {
    const body = bytes('{"a":1,"b":[1,2,3],"c":{"d":{}}}'); // a, b, c, 1, 2, 3, d: 7
    expect(holdsMoreItemsThan(body, 7)).toBe(false);
    expect(holdsMoreItemsThan(body, 6)).toBe(true);
  });

  it('counts nothing for empty containers, with or without whitespace', () => {
    expect(holdsMoreItemsThan(bytes('{ "a" : [ ] , "b" : { \n } }'), 2)).toBe(false);
    expect(holdsMoreItemsThan(bytes('{ "a" : [ ] , "b" : { \n } }'), 1)).toBe(true);
    expect(holdsMoreItemsThan(bytes('{}'), 0)).toBe(false);
  });

  it('ignores commas and brackets inside strings, escaped quotes included', () => {
    expect(holdsMoreItemsThan(bytes('{"a,b":"x,[1,2],\\",{"}'), 1)).toBe(false);
  });

  it('refuses a key bomb at the limit, not after it', () => {
    const keys = Array.from({ length: 13_000 }, (_, i) => `"k${i}":1`).join(',');
    expect(holdsMoreItemsThan(bytes(`{${keys}}`), 1000)).toBe(true);
    expect(holdsMoreItemsThan(bytes(`{"wrap":{${keys}}}`), 1000)).toBe(true);
  });
});
