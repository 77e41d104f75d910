import { describe, expect, it } from '@jest/globals';
import { BoundedMap } from './bounded-map.js';

describe(BoundedMap.name, () => {
  it('drops the oldest entry when a new key arrives at the bound', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect([...map.keys()]).toEqual(['b', 'c']);
  });

  it('replaces the value of a key it holds without dropping anything', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 3);
    expect([...map.entries()]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });
});
