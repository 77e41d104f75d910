import { describe, expect, it } from '@jest/globals';
import { TaskPriority } from '../task-priority.js';
import { buildListStatement, type ListPlan } from './list-statement.js';

const owner = '11111111-1111-4111-8111-111111111111';
const list = '33333333-3333-4333-8333-333333333333';
const roles = ['owner', 'admin', 'editor', 'viewer'] as const; // written into the statement, not bound
const access = { callerId: owner, lists: [list], roles };
const plan = (overrides: Partial<ListPlan> = {}): ListPlan => ({
  access,
  filters: { status: 'all' },
  sort: 'createdAt',
  order: 'desc',
  fetch: 21,
  ...overrides,
});
const squash = (text: string) => text.replace(/\s+/g, ' ');

describe(buildListStatement.name, () => {
  it('scopes to the lists and the membership, orders by key then id, and sums the total from the counters', () => {
    const { text, values } = buildListStatement(plan());
    expect(squash(text)).toContain(
      "WHERE t.list_id = $1::uuid AND EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = $1::uuid AND m.user_id = $2::uuid AND m.role IN ('owner', 'admin', 'editor', 'viewer')) ORDER BY created_at DESC, id DESC LIMIT 21",
    );
    expect(squash(text)).toContain(
      '(SELECT COALESCE(sum(tasks), 0)::int FROM list_counters c WHERE c.list_id = $3::uuid',
    );
    expect(values).toEqual([list, owner, list, owner]);
  });

  it('reaches several lists with ANY, and counts pending tasks from the counters too', () => {
    const other = '44444444-4444-4444-8444-444444444444';
    const { text } = buildListStatement(
      plan({ access: { ...access, lists: [list, other] }, filters: { status: 'pending' } }),
    );
    expect(squash(text)).toContain(
      'SELECT COALESCE(sum(tasks - completed), 0)::int FROM list_counters c WHERE c.list_id = ANY($',
    );
    expect(squash(text)).toContain(
      'WHERE t.list_id = ANY($1::uuid[]) AND EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = t.list_id AND',
    );
    expect(squash(text)).toContain('AND NOT completed ORDER BY');
  });

  it('counts the rows when the assignee filter applies', () => {
    const { text, values } = buildListStatement(plan({ filters: { status: 'all', assignee: null } }));
    expect(squash(text)).toContain('(SELECT count(*) FROM tasks t WHERE t.list_id = $1::uuid');
    expect(squash(text)).toContain('AND assignee_id IS NULL ORDER BY');
    expect(values).toEqual([list, owner]);
    const mine = buildListStatement(plan({ filters: { status: 'all', assignee: owner } }));
    expect(squash(mine.text)).toContain('AND assignee_id = $3::uuid ORDER BY');
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
      'AND completed AND priority_rank = $3 AND tags @> ARRAY[$4::text] AND (title ILIKE $5 OR description ILIKE $5)';
    expect(squash(text)).toContain(`(SELECT count(*) FROM tasks t WHERE t.list_id = $1::uuid AND EXISTS`);
    expect(squash(text)).toContain(`${conditions}) AS total`);
    expect(squash(text)).toContain(`${conditions} ORDER BY`);
    expect(values).toEqual([list, owner, 3, 'work', '%50\\%%']);
  });

  it('counts the matches of a term shorter than a trigram without the trigram index; the page keeps ILIKE', () => {
    const { text, values } = buildListStatement(plan({ filters: { status: 'all', q: '%É' } }));
    expect(squash(text)).toContain(
      'AND (strpos(lower(title), lower($6::text)) > 0 OR strpos(lower(description), lower($6::text)) > 0))',
    );
    expect(squash(text)).toContain('AND (title ILIKE $3 OR description ILIKE $3) ORDER BY');
    expect(values).toEqual([list, owner, '%\\%É%', list, owner, '%É']);
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
      "COALESCE(due_at, 'infinity'::timestamptz) >= $3 AND COALESCE(due_at, 'infinity'::timestamptz) <= $4",
    );
    expect(values.slice(2, 4)).toEqual([new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z')]);
  });

  it('bounds a lone dueAfter on the descending expression, where no due date is -infinity', () => {
    const { text } = buildListStatement(plan({ filters: { status: 'all', dueAfter: '2026-01-01T00:00:00Z' } }));
    expect(squash(text)).toContain("COALESCE(due_at, '-infinity'::timestamptz) >= $3");
  });

  it('continues after the cursor with a row comparison in the order direction', () => {
    const id = '22222222-2222-4222-8222-222222222222';
    const desc = buildListStatement(plan({ after: { key: '2026-01-01T00:00:00.000Z', id } }));
    expect(squash(desc.text)).toContain('(created_at, id) < ($5::timestamptz, $6::uuid)');
    expect(desc.values.slice(4)).toEqual(['2026-01-01T00:00:00.000Z', id]);
    const asc = buildListStatement(plan({ sort: 'title', order: 'asc', after: { key: 'abc', id } }));
    expect(squash(asc.text)).toContain('(lower(title COLLATE "C"), id) > ($5::text, $6::uuid)');
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
