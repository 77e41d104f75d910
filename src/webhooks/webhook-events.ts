/** The events an endpoint may subscribe to: the change log's types (docs/API.md, "Webhooks"). */
export const WEBHOOK_EVENTS = [
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'task.deleted',
  'list.updated',
  'list.deleted',
  'member.added',
  'member.removed',
  'member.role_changed',
] as const;
