import { describe, expect, it } from '@jest/globals';
import { screenBody } from './body-screen.js';

describe(screenBody.name, () => {
  it('passes an ordinary body', () => {
    expect(screenBody({ title: 'x', tags: ['a', 'b'], dueAt: null, n: 1 })).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the prototype key %s, at any depth', (key) => {
    expect(screenBody(JSON.parse(`{"${key}":{}}`))).toEqual({ field: key, message: 'is not an accepted field' });
    expect(screenBody(JSON.parse(`{"a":[{"${key}":1}]}`))).toEqual({
      field: `a.0.${key}`,
      message: 'is not an accepted field',
    });
  });

  it('finds a NUL character in a string or a key, naming its path', () => {
    expect(screenBody({ tags: ['ok', 'b\u0000d'] })).toEqual({
      field: 'tags.1',
      message: 'must not contain NUL characters',
    });
    expect(screenBody({ 'k\u0000': 1 })).toEqual({ field: 'k\u0000', message: 'must not contain NUL characters' });
  });

  it('finds a lone surrogate in a string or a key, naming its path', () => {
    expect(screenBody(JSON.parse('{"title":"\\udbff\\udbffa"}'))).toEqual({
      field: 'title',
      message: 'must be well-formed Unicode',
    });
    expect(screenBody(JSON.parse('{"tags":["\\udc00"]}'))).toEqual({
      field: 'tags.0',
      message: 'must be well-formed Unicode',
    });
    expect(screenBody(JSON.parse('{"\\ud800":1}'))).toEqual({
      field: '\ud800',
      message: 'must be well-formed Unicode',
    });
    // A surrogate pair is one well-formed character.
    expect(screenBody(JSON.parse('{"title":"\\ud83d\\ude00"}'))).toBeUndefined();
  });

  it('walks a deeply nested value without recursion', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(screenBody({ a: deep })?.message).toBe('must not contain NUL characters');
  });
});
