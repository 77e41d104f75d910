import { describe, expect, it } from '@jest/globals';
import { requestPathOf } from './request-path.js';

describe('requestPathOf', () => {
  it('keeps an origin-form path as sent, without its query', () => {
    expect(requestPathOf('/api/tasks?limit=5')).toBe('/api/tasks');
    expect(requestPathOf('/api/tasks/%ZZ')).toBe('/api/tasks/%ZZ');
  });

  it('drops the scheme and host of an absolute-form target', () => {
    expect(requestPathOf('http://evil.example/api/tasks?x=1')).toBe('/api/tasks');
    expect(requestPathOf('https://evil.example')).toBe('/');
  });

  it('answers / for a target that is no path', () => {
    expect(requestPathOf('*')).toBe('/');
    expect(requestPathOf(undefined)).toBe('/');
  });
});
