/**
 * The order the contract promises, computed independently of the service's
 * SQL, to compare pages against (docs/API.md, "List query parameters").
 */
type Task = Record<string, any>;

const RANK: Record<string, number> = { low: 1, medium: 2, high: 3 };

/** `title` sorts by its ASCII-lowercased form, byte by byte (the fixtures use ASCII titles). */
const keyOf: Record<string, (task: Task) => string | number | null> = {
  createdAt: (task) => task.createdAt,
  updatedAt: (task) => task.updatedAt,
  dueAt: (task) => task.dueAt,
  priority: (task) => RANK[task.priority],
  title: (task) => (task.title as string).toLowerCase(),
};

export const DEFAULT_ORDER: Record<string, 'asc' | 'desc'> = {
  createdAt: 'desc',
  updatedAt: 'desc',
  dueAt: 'asc',
  priority: 'desc',
  title: 'asc',
};

export function expectedOrder(tasks: Task[], sort: string, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...tasks]
    .sort((a, b) => {
      const ka = keyOf[sort](a);
      const kb = keyOf[sort](b);
      if (ka === null || kb === null) {
        if (ka !== kb) return ka === null ? 1 : -1; // no due date: last in either order
      } else if (ka !== kb) {
        return sign * compare(ka, kb);
      }
      return sign * compare(a.id, b.id);
    })
    .map((task) => task.id);
}
