import { GOOD_PASSWORD } from '../helpers/fixtures.js';
import type { BodyShape } from './routes.js';

export type FieldType = 'string' | 'boolean' | 'priority' | 'timestamp' | 'tags';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  nullable?: boolean;
}

const taskFields = (titleRequired: boolean): FieldSpec[] => [
  { name: 'title', type: 'string', required: titleRequired },
  { name: 'description', type: 'string', required: false, nullable: true },
  { name: 'completed', type: 'boolean', required: false },
  { name: 'priority', type: 'priority', required: false },
  { name: 'dueAt', type: 'timestamp', required: false, nullable: true },
  { name: 'tags', type: 'tags', required: false },
];

/** The fields of each request body (docs/API.md), for building wrong ones. */
export const FIELDS: Record<BodyShape, FieldSpec[]> = {
  none: [],
  register: [
    { name: 'email', type: 'string', required: true },
    { name: 'password', type: 'string', required: true },
    // Optional at sign-up, and a user's name may be null: `null` reads as "no name given".
    { name: 'name', type: 'string', required: false, nullable: true },
  ],
  login: [
    { name: 'email', type: 'string', required: true },
    { name: 'password', type: 'string', required: true },
  ],
  refresh: [{ name: 'refreshToken', type: 'string', required: true }],
  'change-password': [
    { name: 'currentPassword', type: 'string', required: true },
    { name: 'newPassword', type: 'string', required: true },
  ],
  'update-user': [
    { name: 'email', type: 'string', required: false },
    { name: 'name', type: 'string', required: false },
  ],
  'create-task': taskFields(true),
  'replace-task': taskFields(true),
  'update-task': taskFields(false),
  'complete-task': [{ name: 'completed', type: 'boolean', required: false }],
};

/**
 * A body each route takes (its shape is right; the outcome may still be a 401 for a wrong
 * password, which is not a body problem). `{{email}}` is a fresh address when sent.
 */
export const VALID_BODIES: Record<BodyShape, Record<string, unknown> | undefined> = {
  none: undefined,
  register: { email: '{{email}}', password: GOOD_PASSWORD, name: 'Fuzz' },
  login: { email: '{{email}}', password: 'not-the-password-1' },
  refresh: { refreshToken: 'not-a-refresh-token' },
  'change-password': { currentPassword: 'not-the-password-1', newPassword: 'another-Tortoise-77' },
  'update-user': { name: 'Eve' },
  'create-task': { title: 'A task', priority: 'low', tags: ['a'] },
  'replace-task': { title: 'Replaced', completed: false },
  'update-task': { title: 'Updated' },
  'complete-task': { completed: true },
};

/** Values no field of the given type accepts (null only where the field is not nullable). */
export function wrongValues(field: FieldSpec): unknown[] {
  const shapes = [[], {}, { a: 'b' }, ['x']];
  const nil = field.nullable ? [] : [null];
  switch (field.type) {
    case 'string':
      return [0, 1.5, -1, true, false, ...shapes, ...nil];
    case 'boolean':
      return ['true', 'false', 0, 1, '', ...shapes, ...nil];
    case 'priority':
      return [1, true, 'urgent', 'HIGH', '', ' low', ...shapes, ...nil];
    case 'timestamp':
      return [0, 1700000000000, true, 'tomorrow', '2026-13-01T00:00:00Z', '', ...shapes, ...nil];
    case 'tags':
      return ['work', 1, true, {}, [1], [null], [{}], [''], ['   '], ['x'.repeat(51)], range(21), ...nil];
  }
}

function range(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `t${i}`);
}
