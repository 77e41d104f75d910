import type { CreateTaskDto, TaskPriority } from './api/types.gen.js';
import { field, h, option } from './dom.js';
import { type ListTask, type Member, memberName } from './lists-api.js';

const PRIORITIES: TaskPriority[] = ['low', 'medium', 'high'];

/** The writable fields of a task as form controls; `values()` reads them back in the API's shape. */
export interface TaskFields {
  elements: HTMLElement[];
  title: HTMLInputElement;
  values(): Required<Pick<CreateTaskDto, 'title' | 'priority' | 'tags'>> & {
    description: string | null;
    dueAt: string | null;
    assigneeId?: string | null;
  };
  fill(task?: ListTask): void;
}

/** The task fields; with `members` (those of a shared list), an assignee picker among them. */
export function taskFields(withDescription: boolean, members?: Member[]): TaskFields {
  const title = h('input', { name: 'title', required: true, maxlength: 200, autocomplete: 'off' });
  const description = h('textarea', { name: 'description', rows: 3, maxlength: 2000 });
  const priority = h('select', { name: 'priority' }, ...PRIORITIES.map((value) => option(value, capitalize(value))));
  const dueAt = h('input', { name: 'dueAt', type: 'datetime-local' });
  const tags = h('input', { name: 'tags', autocomplete: 'off' });
  const assignee = h(
    'select',
    { name: 'assigneeId' },
    option('', 'Nobody'),
    ...(members ?? []).map((member) => option(member.userId, memberName(member))),
  );

  const fill = (task?: ListTask) => {
    title.value = task?.title ?? '';
    description.value = task?.description ?? '';
    priority.value = task?.priority ?? 'medium';
    dueAt.value = task?.dueAt ? toLocalInput(task.dueAt) : '';
    tags.value = task?.tags.join(', ') ?? '';
    // Someone who has left the list stays assigned until the API unassigns them: keep them selectable.
    if (task?.assigneeId && !members?.some((member) => member.userId === task.assigneeId))
      assignee.append(option(task.assigneeId, 'A former member'));
    assignee.value = task?.assigneeId ?? '';
  };
  fill();

  return {
    title,
    elements: [
      field('Title', title),
      withDescription ? field('Description', description) : h('span', { hidden: true }),
      field('Priority', priority),
      field('Due', dueAt),
      field('Tags', tags, 'Separate tags with commas.'),
      members ? field('Assignee', assignee) : h('span', { hidden: true }),
    ],
    values: () => ({
      title: title.value,
      description: description.value === '' ? null : description.value,
      priority: priority.value as TaskPriority,
      dueAt: dueAt.value === '' ? null : new Date(dueAt.value).toISOString(),
      tags: tags.value
        .split(',')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
      ...(members && { assigneeId: assignee.value === '' ? null : assignee.value }),
    }),
    fill,
  };
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An instant as the value of a `datetime-local` input, in the browser's time zone. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
