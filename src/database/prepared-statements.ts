import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';

/**
 * Names for the prepared statements of hand-written SQL: a statement is
 * parsed and planned once per connection instead of on every call (planning
 * the task list statement costs more than running it).
 *
 * Names are unique per connection: the embedded engine serves all its
 * connections from one session, where a name reused by a second connection
 * would collide. This is the one place that decides whether and how a
 * statement is named.
 */
export class PreparedStatements {
  private readonly indexes = new Map<string, number>();
  private readonly clientTags = new WeakMap<PoolClient, string>();

  nameOf(client: PoolClient, text: string): string {
    let tag = this.clientTags.get(client);
    if (tag === undefined) {
      tag = randomBytes(4).toString('hex');
      this.clientTags.set(client, tag);
    }
    let index = this.indexes.get(text);
    if (index === undefined) {
      index = this.indexes.size;
      this.indexes.set(text, index);
    }
    return `tw_${tag}_${index}`;
  }
}
