/** Rows come back already shaped as `Task`: no hydration step on the hot paths. */
export const TASK_COLUMNS = `id, user_id AS "userId", title, description, completed, completed_at AS "completedAt",
  priority, due_at AS "dueAt", tags, version, created_at AS "createdAt", updated_at AS "updatedAt"`;
