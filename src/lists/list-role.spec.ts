import { describe, expect, it } from '@jest/globals';
import { atLeast, higher } from './list-role.js';

describe('list roles', () => {
  it('ranks owner > admin > editor > viewer', () => {
    expect(atLeast('owner', 'admin')).toBe(true);
    expect(atLeast('admin', 'admin')).toBe(true);
    expect(atLeast('editor', 'admin')).toBe(false);
    expect(atLeast('viewer', 'editor')).toBe(false);
    expect(atLeast('viewer', 'viewer')).toBe(true);
  });

  it('keeps the higher of two roles', () => {
    expect(higher('editor', 'viewer')).toBe('editor');
    expect(higher('viewer', 'admin')).toBe('admin');
    expect(higher('owner', 'admin')).toBe('owner');
  });
});
