import { authLogout } from './api/sdk.gen.js';
import { confirmDialog } from './confirm-dialog.js';
import { type Change, follow, supersedes } from './live.js';
import { field, h } from './dom.js';
import {
  atLeast,
  createList,
  deleteList,
  getList,
  listLists,
  listMembers,
  type Member,
  renameList,
  type TaskList,
  withArticle,
} from './lists-api.js';
import { membersPanel } from './members-panel.js';
import { clearProblem, type Problem, showProblem, toProblem } from './problem.js';
import { listHash, navigate } from './router.js';
import { authed, clearSession, readSession } from './session.js';
import { openShareDialog } from './share-dialog.js';
import { renderTasks, type TasksView } from './tasks-view.js';
import { webhooksPanel } from './webhooks-panel.js';

/** A message for the next rendering (after a navigation): what just happened, or what went wrong. */
let pending: { text: string; alert: boolean } | undefined;

export function announceNext(text: string, alert = false): void {
  pending = { text, alert };
}

/**
 * The signed-in app: the caller's lists (Inbox first) beside the selected
 * list, its members, sharing and its tasks. Every change that moves
 * elsewhere goes through the router, so the URL always names the list shown.
 */
export function renderApp(root: HTMLElement, listId: string | undefined, onSignedOut: () => void, moved = false): void {
  const session = readSession();
  const me = session?.user.id ?? '';
  const status = h('p', { class: 'status', role: 'status' });
  const alert = h('p', { class: 'alert', role: 'alert', hidden: true });
  const nav = h('nav', { class: 'sidebar', 'aria-labelledby': 'lists-heading' });
  const main = h('div', { class: 'list-main' });
  const listItems = h('ul', { class: 'lists' });
  /** What is shown, kept to apply the live changes to (each by its `version`). */
  let lists: TaskList[] = [];
  let selected: TaskList | undefined;
  let tasksView: TasksView | undefined;
  /**
   * The list this page is deleting or leaving: the stream may announce its loss before the request's
   * own answer arrives, and that answer says what happened (and where to go).
   */
  let ending: string | undefined;

  function say(message: string): void {
    alert.hidden = true;
    status.textContent = message;
  }

  function shout(message: string): void {
    status.textContent = '';
    alert.textContent = message;
    alert.hidden = false;
  }

  async function signOut(): Promise<void> {
    const refreshToken = readSession()?.refreshToken;
    // The session ends here whatever the API answers; a network failure only leaves it to expire.
    if (refreshToken) await authLogout({ body: { refreshToken } }).catch(() => undefined);
    clearSession();
    onSignedOut();
  }

  root.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, 'Taskwell'),
      h('span', { class: 'who' }, `Signed in as ${session?.user.name ?? session?.user.email ?? ''}`),
      h('button', { type: 'button', onclick: () => void signOut() }, 'Sign out'),
    ),
    status,
    alert,
    h('div', { class: 'layout' }, nav, main),
  );
  nav.append(h('h2', { id: 'lists-heading' }, 'Lists'), listItems, newListForm());
  if (pending) {
    (pending.alert ? shout : say)(pending.text);
    pending = undefined;
  }
  load().catch((failure: unknown) => shout(toProblem(failure).detail));
  follow({ changes: (changes) => applyChanges(changes), resync: () => navigate(location.hash || '#/') });

  async function load(): Promise<void> {
    const all: TaskList[] = [];
    let cursor: string | undefined;
    do {
      const { data, error, response } = await authed(() => listLists(cursor));
      if (!data) return shout(toProblem(error, response).detail);
      all.push(...data.data);
      cursor = data.meta.nextCursor ?? undefined;
    } while (cursor);
    // The Inbox first, then the API's order (oldest first): a list joined later may be older than the Inbox.
    lists = all.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    selected = lists.find((list) => list.id === listId) ?? lists.find((list) => list.isDefault) ?? lists[0];
    if (listId && selected?.id !== listId) {
      // An old link, or a list that has gone since: say so rather than show another list silently.
      shout('That list is not available to you: it was deleted, or you are no longer a member.');
    }
    renderSidebar();
    if (selected) await showList(selected, moved);
  }

  // ---- changes made elsewhere (another tab, another member) ------------------------------------
  /**
   * The live stream's changes, each applied only if newer than what is shown. A list gone (deleted,
   * or the caller removed) leaves the sidebar, and if it is the one shown, the page says so and
   * shows the Inbox; a new role, or members changed, draws the list shown again; its tasks' changes
   * go to the tasks view.
   */
  function applyChanges(changes: Change[]): void {
    // Before the lists are loaded there is nothing to apply to: the load reads them as they are.
    if (!selected) return;
    const shown = selected;
    let next = shown;
    let membersChanged = false;
    let sidebarChanged = false;
    for (const change of changes) {
      const held = lists.find((list) => list.id === change.listId);
      if (change.entity === 'member') {
        membersChanged ||= change.listId === shown.id && change.version > shown.version;
        continue;
      }
      if (change.entity !== 'list' || (held && !supersedes(change, held))) continue;
      if (change.op === 'delete') {
        if (!held || held.id === ending) continue;
        if (held.id === shown.id) return gone(shown);
        lists = lists.filter((list) => list.id !== held.id);
        sidebarChanged = true;
        continue;
      }
      const list = change.data as unknown as TaskList;
      lists = held ? lists.map((existing) => (existing.id === list.id ? list : existing)) : [...lists, list];
      if (list.id === shown.id) next = list;
      sidebarChanged = true;
    }
    tasksView?.apply(changes.filter((change) => change.entity === 'task' && change.listId === shown.id));
    if (sidebarChanged) renderSidebar();
    if (membersChanged || next.role !== shown.role || next.memberCount !== shown.memberCount) {
      void redrawShown(shown);
    } else if (next !== shown) {
      selected = next;
      main.querySelector('#list-heading')?.replaceChildren(next.name);
    }
  }

  /**
   * The list shown, read again and drawn again after its members or the caller's role changed:
   * the role that decides the controls comes from the list's own route, not from the stream.
   */
  async function redrawShown(before: TaskList): Promise<void> {
    const { data, error, response } = await authed(() => getList(before.id));
    if (!main.isConnected) return; // another page is shown by now
    if (!data) return gone(before, toProblem(error, response));
    const list = data.data;
    lists = lists.map((existing) => (existing.id === list.id ? list : existing));
    renderSidebar();
    if (list.role !== before.role) say(`Your role in “${list.name}” is now ${list.role}.`);
    await showList(list);
  }

  // ---- the lists -------------------------------------------------------------------------------
  function newListForm(): HTMLFormElement {
    const name = h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' });
    const form = h(
      'form',
      { class: 'new-list', 'aria-label': 'New list', novalidate: true },
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      field('List name', name),
      h('button', { type: 'submit' }, 'Create list'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        const { data, error, response } = await authed(() => createList(name.value));
        if (!data) return showProblem(form, toProblem(error, response));
        announceNext(`Created “${data.data.name}”.`);
        navigate(listHash(data.data.id));
      })();
    });
    return form;
  }

  /** The lists as they are now (the new-list form and what is typed in it stay). */
  function renderSidebar(): void {
    listItems.replaceChildren(
      ...lists.map((list) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: listHash(list.id), 'aria-current': list.id === selected?.id ? 'page' : undefined },
            list.name,
            list.memberCount > 1 ? h('span', { class: 'badge' }, ` shared · ${list.role}`) : false,
          ),
        ),
      ),
    );
  }

  // ---- the selected list -----------------------------------------------------------------------
  async function showList(list: TaskList, focus = false): Promise<void> {
    selected = list;
    tasksView = undefined;
    let members: Member[] = [];
    if (!list.isDefault) {
      const { data, error, response } = await authed(() => listMembers(list.id));
      if (!data) return gone(list, toProblem(error, response));
      members = data.data;
    }
    const heading = h('h2', { id: 'list-heading', tabindex: -1 }, list.name);
    const roleNote = list.isDefault
      ? 'Your own list'
      : `${list.memberCount} ${list.memberCount === 1 ? 'member' : 'members'} · you are ${withArticle(list.role)}`;
    const toolbar = h('div', { class: 'toolbar' });
    const title = h('div', { class: 'list-title' }, heading, h('p', { class: 'meta' }, roleNote), toolbar);
    const tasks = h('div', { class: 'list-tasks' });
    const reopen = () => navigate(listHash(list.id));

    if (atLeast(list.role, 'admin'))
      toolbar.append(h('button', { type: 'button', onclick: () => rename(list, title) }, 'Rename'));
    if (atLeast(list.role, 'admin') && !list.isDefault)
      toolbar.append(h('button', { type: 'button', onclick: () => openShareDialog(list) }, 'Share'));
    if (list.role === 'owner' && !list.isDefault)
      toolbar.append(h('button', { type: 'button', class: 'danger', onclick: () => void remove(list) }, 'Delete list'));

    main.replaceChildren(
      h(
        'section',
        { class: 'list-head', 'aria-labelledby': 'list-heading' },
        title,
        !list.isDefault &&
          membersPanel({
            list,
            members,
            me,
            fail: (problem) => {
              ending = undefined;
              explain(list, problem);
            },
            changed: (message) => {
              announceNext(message);
              reopen();
            },
            leaving: () => (ending = list.id),
            left: () => {
              announceNext(`You left “${list.name}”.`);
              navigate('#/');
            },
          }),
        atLeast(list.role, 'admin') && webhooksPanel({ list, say, fail: (problem) => explain(list, problem) }),
      ),
      tasks,
    );
    // After a move (a list chosen, created, left or lost), the list's name takes the focus, so a
    // screen reader starts there rather than at the top of a page it has already read.
    if (focus) heading.focus();
    tasksView = renderTasks(tasks, {
      list,
      members,
      say,
      fail: (problem) => explain(list, problem),
      lost: () => gone(list),
    });
  }

  /** A problem in a list, in words: a 403 says what role it needs; a 404 means the list is gone. */
  function explain(list: TaskList, problem: Problem): void {
    if (problem.status === 404) return gone(list, problem);
    if (problem.status === 403) {
      // The role may have been lowered since the page was drawn: draw it again with the role as it is.
      announceNext(
        `${problem.detail.replace(/\.$/, '')}. Your role in “${list.name}” may have changed: here is the list as it is now. Ask its owner or an admin if you need to do this.`,
        true,
      );
      return navigate(listHash(list.id));
    }
    shout(problem.detail);
  }

  function gone(list: TaskList, problem?: Problem): void {
    // The Inbox cannot go: a 404 there is not a lost list, and going "back" to it would only loop.
    if ((problem && problem.status !== 404) || list.isDefault) return shout(problem?.detail ?? 'Not found.');
    announceNext(`“${list.name}” is no longer available to you: it was deleted, or you were removed from it.`, true);
    navigate('#/');
  }

  function rename(list: TaskList, title: HTMLElement): void {
    const name = h('input', { name: 'name', required: true, maxlength: 100, value: list.name, autocomplete: 'off' });
    const form = h(
      'form',
      { class: 'rename-list', 'aria-label': `Rename list: ${list.name}`, novalidate: true },
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      field('List name', name),
      h('button', { type: 'submit' }, 'Save'),
      h('button', { type: 'button', onclick: () => cancel() }, 'Cancel'),
    );
    const cancel = () => {
      form.replaceWith(title);
      title.querySelector<HTMLElement>('button')?.focus();
    };
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') cancel();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        clearProblem(form);
        const { data, error, response } = await authed(() => renameList(list, name.value));
        if (data) {
          announceNext(`Renamed to “${data.data.name}”.`);
          return navigate(listHash(list.id));
        }
        const problem = toProblem(error, response);
        if (problem.status === 412) {
          announceNext('The list was changed elsewhere meanwhile; here it is as it is now. Rename it again.', true);
          return navigate(listHash(list.id));
        }
        if (problem.status === 403 || problem.status === 404) return explain(list, problem);
        showProblem(form, problem);
      })();
    });
    title.replaceWith(form);
    name.select();
    name.focus();
  }

  async function remove(list: TaskList): Promise<void> {
    const question = `Delete “${list.name}” and all its tasks, for every member? This cannot be undone.`;
    if (!(await confirmDialog(question, 'Delete list'))) return;
    ending = list.id;
    const { error, response } = await authed(() => deleteList(list));
    // Deleted: the page goes on to the Inbox, and the stream's news of it may still come in meanwhile.
    if (response?.status !== 204) ending = undefined;
    if (response?.status === 412) {
      announceNext('The list was changed elsewhere meanwhile: check it, then delete it again.', true);
      return navigate(listHash(list.id));
    }
    if (response?.status !== 204) return explain(list, toProblem(error, response));
    announceNext(`Deleted “${list.name}”.`);
    navigate('#/');
  }
}
