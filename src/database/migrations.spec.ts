import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from './migrations.js';

describe('MIGRATIONS', () => {
  it('lists every migration file in migrations/, oldest first', () => {
    const files = readdirSync(join(import.meta.dirname, '..', '..', 'migrations'))
      .filter((file) => /^\d+-\w+\.ts$/.test(file))
      .sort();
    const expected = files.map((file) => {
      const [, timestamp, name] = /^(\d+)-(\w+)\.ts$/.exec(file)!;
      return `${name}${timestamp}`;
    });
    expect(MIGRATIONS.map((migration) => migration.name)).toEqual(expected);
  });
});
