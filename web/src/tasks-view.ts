import type { TaskPriority, TaskSort, TaskStatusFilter } from './api/types.gen.js';
import { field, h, option, uid } from './dom.js';
import { type Change, supersedes } from './live.js';
import {
  atLeast,
  clearCompleted as clearCompletedRequest,
  completeAll,
  completeTask,
  createTask,
  deleteTask,
  getList,
  getTask,
  type ListTask,
  listTasks,
  type Member,
  memberName,
  type TaskList,
  updateTask,
} from './lists-api.js';
import { clearProblem, type Problem, showProblem, toProblem } from './problem.js';
import { authed } from './session.js';
import { capitalize, taskFields } from './task-form.js';

const PAGE_SIZE = 10;

interface Filters {
  status: TaskStatusFilter;
  q?: string;
  tag?: string;
  priority?: TaskPriority;
}

/** What the tasks of a list need from the page around them. */
export interface ListContext {
  list: TaskList;
  members: Member[];
  say(message: string): void;
  fail(problem: Problem): void;
  /** A 404 on the list: it was deleted, or the caller was removed from it. */
  lost(): void;
}

/** What the page around the tasks can do to them. */
export interface TasksView {
  /** Changes to this list's tasks, made elsewhere (the live stream). */
  apply(changes: Change[]): void;
}

/**
 * The tasks of one list (`/api/lists/{listId}/tasks`): filters, the list with
 * its cursor, the new-task form, bulk actions. A viewer gets the list without
 * any control that changes it; a 403 (a role lowered meanwhile) is explained.
 */
export function renderTasks(container: HTMLElement, context: ListContext): TasksView {
  const { list, members, say } = context;
  const listId = list.id;
  const canEdit = atLeast(list.role, 'editor');
  // Only a shared list needs an assignee: in a list of one, it could only be its owner.
  const assignable = members.length > 1 ? members : undefined;
  const filters: Filters = { status: 'all' };
  let sort: TaskSort = 'createdAt';
  let order: 'asc' | 'desc' | undefined;
  let tasks: ListTask[] = [];
  let nextCursor: string | null = null;
  let pendingInView = 0;
  let completedInView = 0;
  /** Reads started (the page, the counts): only the latest one's answer is shown, whatever order they come back in. */
  let loads = 0;
  let counts = 0;
  /** Tasks whose edit form is open: drawing the list again keeps the form, and what is typed in it. */
  const editing = new Map<string, HTMLFormElement>();

  const tasksList = h('ul', { class: 'tasks', 'aria-label': 'Tasks' });
  const loadMore = h('button', { type: 'button', hidden: true, onclick: () => void load(true) }, 'Load more');
  const itemsLeft = h('span', { class: 'items-left' });
  const markAll = h('button', { type: 'button', onclick: () => void markAllTasks() });
  const clearCompleted = h('button', { type: 'button', onclick: () => void clearCompletedTasks() }, 'Clear completed');

  /** After a 404 from a task route: whether the list itself is gone (deleted, or the caller removed). */
  async function listIsGone(): Promise<boolean> {
    const { response } = await authed(() => getList(listId));
    return response?.status === 404;
  }

  /**
   * A problem from a task route. A 404 is either the task (deleted elsewhere) or the list (deleted,
   * or the caller removed): the list itself says which.
   */
  async function fail(problem: Problem): Promise<void> {
    if (problem.status !== 404) return context.fail(problem);
    if (await listIsGone()) return context.lost();
    say('That task was deleted elsewhere.');
    await load(false);
  }

  // ---- new task --------------------------------------------------------------------------------
  const create = taskFields(true, assignable);
  const createForm = h(
    'form',
    { class: 'new-task', 'aria-labelledby': 'new-task-heading', novalidate: true },
    h('h3', { id: 'new-task-heading' }, 'New task'),
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    ...create.elements,
    h('button', { type: 'submit' }, 'Add task'),
  );
  // One key per intended task: a retry of the same values (after a network error) reuses it,
  // so the API creates the task at most once.
  let pendingCreate: { body: string; key: string } | undefined;
  createForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      const body = create.values();
      const fingerprint = JSON.stringify(body);
      if (pendingCreate?.body !== fingerprint) pendingCreate = { body: fingerprint, key: crypto.randomUUID() };
      const key = `"${pendingCreate.key}"`;
      try {
        const { data, error, response } = await authed(() => createTask(listId, body, key));
        if (!data) {
          const problem = toProblem(error, response);
          if (problem.status === 404 || problem.status === 403) return fail(problem);
          return showProblem(createForm, problem);
        }
        pendingCreate = undefined;
        clearProblem(createForm);
        create.fill();
        say(`Added “${data.data.title}”.`);
        create.title.focus();
        await load(false);
      } catch (failure) {
        showProblem(createForm, toProblem(failure));
      }
    })();
  });

  // ---- filters and sort ------------------------------------------------------------------------
  const statusName = uid('status');
  const statusGroup = h(
    'fieldset',
    { class: 'status-filter' },
    h('legend', {}, 'Show'),
    ...(['all', 'pending', 'completed'] as const).map((value) => {
      const input = h('input', { type: 'radio', name: statusName, value, checked: value === 'all' });
      input.addEventListener('change', () => {
        filters.status = value;
        void load(false);
      });
      const label = { all: 'All', pending: 'Active', completed: 'Completed' }[value];
      return h('label', {}, input, ` ${label}`);
    }),
  );
  const search = h('input', { name: 'q', type: 'search', autocomplete: 'off' });
  const tag = h('input', { name: 'tag', autocomplete: 'off' });
  const priority = h(
    'select',
    { name: 'priority' },
    option('', 'Any'),
    option('high', 'High'),
    option('medium', 'Medium'),
    option('low', 'Low'),
  );
  const sortSelect = h(
    'select',
    { name: 'sort' },
    option('createdAt', 'Created'),
    option('updatedAt', 'Updated'),
    option('dueAt', 'Due date'),
    option('priority', 'Priority'),
    option('title', 'Title'),
  );
  const orderSelect = h(
    'select',
    { name: 'order' },
    option('', 'Default'),
    option('asc', 'Ascending'),
    option('desc', 'Descending'),
  );
  const filterForm = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter and sort tasks', novalidate: true },
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    statusGroup,
    field('Search', search),
    field('Tag', tag),
    field('Priority', priority),
    field('Sort by', sortSelect),
    field('Order', orderSelect),
  );
  filterForm.addEventListener('submit', (event) => event.preventDefault());
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const applyFilters = () => {
    filters.q = search.value.trim() || undefined;
    filters.tag = tag.value.trim() || undefined;
    filters.priority = (priority.value || undefined) as TaskPriority | undefined;
    sort = sortSelect.value as TaskSort;
    order = (orderSelect.value || undefined) as typeof order;
    void load(false);
  };
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(applyFilters, 250);
  });
  for (const control of [tag, priority, sortSelect, orderSelect]) control.addEventListener('change', applyFilters);

  const textFilters = () => ({ q: filters.q, tag: filters.tag, priority: filters.priority });

  // ---- loading ---------------------------------------------------------------------------------
  /** The first page for the current filters, or (`more`) the page after the last one shown. */
  async function load(more: boolean): Promise<void> {
    const query = { ...filters, sort, order, limit: PAGE_SIZE, cursor: more ? (nextCursor ?? undefined) : undefined };
    const mine = ++loads;
    try {
      const { data, error, response } = await authed(() => listTasks(listId, query));
      if (mine !== loads) return;
      if (!data) {
        const problem = toProblem(error, response);
        if (problem.status === 404 && (await listIsGone())) return context.lost();
        return showProblem(filterForm, problem);
      }
      clearProblem(filterForm);
      tasks = more ? [...tasks, ...data.data] : data.data;
      nextCursor = data.meta.nextCursor;
      renderList();
      await countItems();
    } catch (failure) {
      void fail(toProblem(failure));
    }
  }

  /** Items left (and whether any are completed) for the current search, tag and priority, from `meta.total`. */
  async function countItems(): Promise<void> {
    const count = async (status: TaskStatusFilter) => {
      const { data } = await authed(() => listTasks(listId, { ...textFilters(), status, limit: 1 }));
      return data?.meta.total ?? 0;
    };
    const mine = ++counts;
    const [pending, completed] = await Promise.all([count('pending'), count('completed')]);
    if (mine !== counts) return;
    [pendingInView, completedInView] = [pending, completed];
    itemsLeft.textContent = `${pendingInView} ${pendingInView === 1 ? 'item' : 'items'} left`;
    markAll.textContent = pendingInView > 0 || completedInView === 0 ? 'Mark all as complete' : 'Mark all as active';
    markAll.disabled = pendingInView + completedInView === 0;
    clearCompleted.disabled = completedInView === 0;
  }

  function matchesStatus(task: ListTask): boolean {
    return filters.status === 'all' || (filters.status === 'completed') === task.completed;
  }

  /** Whether a task changed elsewhere still belongs in the view (but for the search). */
  function fitsView(task: ListTask): boolean {
    return (
      matchesStatus(task) &&
      (!filters.priority || task.priority === filters.priority) &&
      (!filters.tag || task.tags.includes(filters.tag))
    );
  }

  /**
   * Changes from elsewhere, each only if newer than the task shown: an update or a delete of a
   * shown task applies in place (keeping its place, as a toggle here does); a task not shown may
   * belong in the view at a place only the API's sort knows, so the first page is read again.
   */
  function apply(changes: Change[]): void {
    let changed = false;
    let readAgain = false;
    for (const change of changes) {
      const held = tasks.find((task) => task.id === change.id);
      if (!held) {
        readAgain ||= change.op === 'upsert';
        continue;
      }
      if (!supersedes(change, held)) continue;
      const task = change.op === 'upsert' ? (change.data as ListTask | undefined) : undefined;
      if (task && filters.q)
        readAgain = true; // whether it still matches the search is the API's to say
      else if (task && fitsView(task)) replaceTask(task);
      else tasks = tasks.filter((existing) => existing.id !== change.id);
      changed = true;
    }
    if (readAgain) return void load(false);
    if (!changed) return;
    renderList();
    void countItems();
  }

  function replaceTask(task: ListTask): void {
    tasks = tasks.map((existing) => (existing.id === task.id ? task : existing));
  }

  // ---- the list --------------------------------------------------------------------------------
  function renderList(): void {
    tasksList.replaceChildren(...tasks.map((task) => editing.get(task.id) ?? renderItem(task)));
    if (tasks.length === 0) tasksList.append(h('li', { class: 'empty' }, 'No tasks here.'));
    loadMore.hidden = nextCursor === null;
  }

  function assigneeOf(task: ListTask): string {
    if (!task.assigneeId) return '';
    const member = members.find((candidate) => candidate.userId === task.assigneeId);
    return `assigned to ${member ? memberName(member) : 'a former member'}`;
  }

  function renderItem(task: ListTask): HTMLLIElement {
    // A viewer sees the state, but there is nothing to press.
    const toggle = h('input', {
      type: 'checkbox',
      checked: task.completed,
      disabled: !canEdit,
      'aria-label': `Completed: ${task.title}`,
    });
    toggle.addEventListener('change', () => void setCompleted(task, toggle.checked));
    const meta = [
      capitalize(task.priority),
      task.dueAt ? `due ${new Date(task.dueAt).toLocaleString()}` : '',
      assigneeOf(task),
      ...task.tags.map((name) => `#${name}`),
    ].filter(Boolean);
    const item = h(
      'li',
      { class: task.completed ? 'task done' : 'task', 'data-id': task.id },
      toggle,
      h(
        'div',
        { class: 'task-body' },
        h('span', { class: 'title' }, task.title),
        h('span', { class: 'meta' }, meta.join(' · ')),
        task.description ? h('p', { class: 'description' }, task.description) : false,
      ),
      canEdit &&
        h(
          'span',
          { class: 'actions' },
          h('button', { type: 'button', 'aria-label': `Edit: ${task.title}`, onclick: () => edit(item, task) }, 'Edit'),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'aria-label': `Delete: ${task.title}`,
              onclick: () => void remove(task),
            },
            'Delete',
          ),
        ),
    );
    return item;
  }

  async function setCompleted(task: ListTask, completed: boolean): Promise<void> {
    // The checkbox says which state the user wants: setting it (not flipping) is right even when stale.
    const { data, error, response } = await authed(() => completeTask(task, completed));
    if (!data) {
      const problem = toProblem(error, response);
      await fail(problem);
      // The box shows what the user wanted, not what is: show the list as it is (a 404 has done so).
      return problem.status === 404 ? undefined : load(false);
    }
    replaceTask(data.data);
    if (!matchesStatus(data.data)) tasks = tasks.filter((existing) => existing.id !== task.id);
    renderList();
    tasksList.querySelector<HTMLInputElement>(`[data-id="${task.id}"] input[type=checkbox]`)?.focus();
    await countItems();
  }

  async function remove(task: ListTask): Promise<void> {
    const { error, response } = await authed(() => deleteTask(task));
    if (response?.status !== 204) return fail(toProblem(error, response));
    tasks = tasks.filter((existing) => existing.id !== task.id);
    renderList();
    say(`Deleted “${task.title}”.`);
    await countItems();
  }

  /** The edit form in place of the item; saving sends `If-Match`, so a change made elsewhere is a 412, not lost. */
  function edit(item: HTMLLIElement, original: ListTask): void {
    let task = original;
    const fields = taskFields(true, assignable);
    fields.fill(task);
    const stale = h('div', { class: 'stale', role: 'alert', hidden: true });
    const form = h(
      'form',
      { class: 'edit-task', 'aria-label': `Edit task: ${task.title}`, novalidate: true },
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      stale,
      ...fields.elements,
      h('button', { type: 'submit' }, 'Save'),
      h('button', { type: 'button', onclick: () => close() }, 'Cancel'),
    );
    const close = (updated = task) => {
      editing.delete(task.id);
      const fresh = renderItem(updated);
      form.replaceWith(fresh);
      fresh.querySelector<HTMLButtonElement>('button')?.focus();
    };
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        stale.hidden = true;
        const { data, error, response } = await authed(() => updateTask(task, fields.values()));
        if (data) {
          replaceTask(data.data);
          say(`Saved “${data.data.title}”.`);
          return close(data.data);
        }
        if (response?.status === 412) return showStale();
        const problem = toProblem(error, response);
        if (problem.status === 404 || problem.status === 403) return fail(problem);
        showProblem(form, problem);
      })();
    });

    function showStale(): void {
      const reload = h('button', { type: 'button', onclick: () => void reloadTask() }, 'Reload task');
      stale.replaceChildren(
        h('p', {}, 'This task was changed in another tab or device, so your edit was not saved.'),
        reload,
      );
      stale.hidden = false;
      reload.focus();
    }

    async function reloadTask(): Promise<void> {
      const { data, error, response } = await authed(() => getTask(task));
      if (!data) return showProblem(form, toProblem(error, response));
      task = data.data;
      replaceTask(task);
      fields.fill(task);
      stale.hidden = true;
      say('Reloaded the latest version; make your edit again.');
      fields.title.focus();
    }

    editing.set(task.id, form);
    item.replaceWith(form);
    fields.title.focus();
  }

  // ---- bulk actions ----------------------------------------------------------------------------
  async function markAllTasks(): Promise<void> {
    const completed = pendingInView > 0;
    const { data, error, response } = await authed(() => completeAll(listId, textFilters(), completed));
    if (!data) return fail(toProblem(error, response));
    say(
      `${data.data.changed} ${data.data.changed === 1 ? 'task' : 'tasks'} marked ${completed ? 'complete' : 'active'}.`,
    );
    await load(false);
  }

  async function clearCompletedTasks(): Promise<void> {
    const { data, error, response } = await authed(() => clearCompletedRequest(listId));
    if (!data) return fail(toProblem(error, response));
    say(`Cleared ${data.data.deleted} completed ${data.data.deleted === 1 ? 'task' : 'tasks'}.`);
    await load(false);
  }

  container.replaceChildren(
    canEdit
      ? createForm
      : h(
          'p',
          { class: 'read-only' },
          'You can view this list. To add or change tasks, ask its owner or an admin for the editor role.',
        ),
    h(
      'section',
      { 'aria-labelledby': 'tasks-heading' },
      h('h3', { id: 'tasks-heading' }, 'Tasks'),
      filterForm,
      h('div', { class: 'bulk' }, itemsLeft, canEdit && markAll, canEdit && clearCompleted),
      tasksList,
      loadMore,
    ),
  );
  void load(false);
  return { apply };
}
