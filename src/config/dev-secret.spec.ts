import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadOrCreateDevSecret } from './dev-secret.js';

describe(loadOrCreateDevSecret.name, () => {
  it('creates a long random secret once, private to the owner, and returns it again', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'taskwell-secret-')), 'nested');
    const first = loadOrCreateDevSecret(dir);
    expect(first.length).toBeGreaterThanOrEqual(64);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDevSecret(dir)).toBe(first);
    expect(loadOrCreateDevSecret(mkdtempSync(join(tmpdir(), 'taskwell-secret-')))).not.toBe(first);
  });
});
