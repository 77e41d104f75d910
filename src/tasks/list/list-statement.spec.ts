import { describe, expect, it } from '@jest/globals';
import { TaskPriority } from '../task-priority.js';
import { buildListStatement, type ListPlan } from './list-statement.js';

const owner = '11111111-1111-4111-8111-111111111111';
const plan = (overrides: Partial<ListPlan> = {}): ListPlan => ({
  ownerId: owner,
  filters: { status: 'all' },
  sort: 'createdAt',
  order: 'desc',
  fetch: 21,
  ...overrides,
});
const squash = (text: string) => text.replace(/\s+/g, ' ');

describe(buildListStatement.name, () => {
  it('scopes to the owner, orders by key then id, and reads the total from the counters', () => {
    const { text, values } = buildListStatement(plan());
    expect(squash(text)).toContain('COALESCE((SELECT total FROM task_counts WHERE user_id = $1), 0)');
    expect(squash(text)).toContain('WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 21');
    expect(values).toEqual([owner]);
  });

  it('counts pending tasks from the counters too', () => {
    const { text } = buildListStatement(plan({ filters: { status: 'pending' } }));
    expect(squash(text)).toContain('SELECT total - completed FROM task_counts');
    expect(squash(text)).toContain('WHERE user_id = $1 AND NOT completed ORDER BY');
  });

  it('counts the rows when other filters apply, with the same conditions as the page', () => {
    const { text, values } = buildListStatement(
      plan({
        filters: {
          status: 'completed',
          priority: TaskPriority.High,
          tag: 'work',
          q: '50%',
        },
      }),
    );
    const conditions =
      'user_id = $1 AND completed AND priority_rank = $2 AND tags @> ARRAY[$3::text] AND (title ILIKE $4 OR description ILIKE $4)';
    expect(squash(text)).toContain(`(SELECT count(*) FROM tasks WHERE ${conditions})`);
    expect(squash(text)).toContain(`WHERE ${conditions} ORDER BY`);
    expect(values).toEqual([owner, 3, 'work', '%50\\%%']);
  });

  it('counts the matches of a term shorter than a trigram without the trigram index; the page keeps ILIKE', () => {
    const { text, values } = buildListStatement(plan({ filters: { status: 'all', q: '%É' } }));
    expect(squash(text)).toContain(
      '(SELECT count(*) FROM tasks WHERE user_id = $1 AND (strpos(lower(title), lower($3::text)) > 0 OR strpos(lower(description), lower($3::text)) > 0))',
    );
    expect(squash(text)).toContain('WHERE user_id = $1 AND (title ILIKE $2 OR description ILIKE $2) ORDER BY');
    expect(values).toEqual([owner, '%\\%É%', '%É']);
  });

  it('counts a term of 3 code points as long: an emoji pair is 2, so it stays short', () => {
    expect(buildListStatement(plan({ filters: { status: 'all', q: 'abc' } })).text).not.toContain('strpos');
    expect(buildListStatement(plan({ filters: { status: 'all', q: '😀😀' } })).text).toContain('strpos');
  });

  it('binds the due range as instants', () => {
    const { text, values } = buildListStatement(
      plan({
        filters: {
          status: 'all',
          dueAfter: '2026-01-01T02:00:00+02:00',
          dueBefore: '2026-02-01T00:00:00Z',
        },
      }),
    );
    expect(squash(text)).toContain(
      "COALESCE(due_at, 'infinity'::timestamptz) >= $2 AND COALESCE(due_at, 'infinity'::timestamptz) <= $3",
    );
    expect(values.slice(1, 3)).toEqual([new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z')]);
  });

  it('bounds a lone dueAfter on the descending expression, where no due date is -infinity', () => {
    const { text } = buildListStatement(plan({ filters: { status: 'all', dueAfter: '2026-01-01T00:00:00Z' } }));
    expect(squash(text)).toContain("COALESCE(due_at, '-infinity'::timestamptz) >= $2");
  });

  it('continues after the cursor with a row comparison in the order direction', () => {
    const id = '22222222-2222-4222-8222-222222222222';
    const desc = buildListStatement(plan({ after: { key: '2026-01-01T00:00:00.000Z', id } }));
    expect(squash(desc.text)).toContain('(created_at, id) < ($2::timestamptz, $3::uuid)');
    expect(desc.values).toEqual([owner, '2026-01-01T00:00:00.000Z', id]);
    const asc = buildListStatement(plan({ sort: 'title', order: 'asc', after: { key: 'abc', id } }));
    expect(squash(asc.text)).toContain('(lower(title COLLATE "C"), id) > ($2::text, $3::uuid)');
  });

  it('puts tasks without a due date last in both orders', () => {
    expect(buildListStatement(plan({ sort: 'dueAt', order: 'asc' })).text).toContain(
      "ORDER BY COALESCE(due_at, 'infinity'::timestamptz) ASC, id ASC",
    );
    expect(buildListStatement(plan({ sort: 'dueAt', order: 'desc' })).text).toContain(
      "ORDER BY COALESCE(due_at, '-infinity'::timestamptz) DESC, id DESC",
    );
  });

  it('sorts priority by rank', () => {
    expect(buildListStatement(plan({ sort: 'priority' })).text).toContain('ORDER BY priority_rank DESC, id DESC');
  });
});
