import { announceNext } from './app-view.js';
import { h } from './dom.js';
import { acceptInvitation, withArticle } from './lists-api.js';
import { toProblem } from './problem.js';
import { forgetInvite, listHash, navigate } from './router.js';
import { authed } from './session.js';

/**
 * `#/invite/<token>` once signed in: joining is a deliberate click (a link
 * opened by accident joins nothing). Any unusable token is the same 404 at
 * the API, so the page cannot say more than that the link no longer works.
 */
export function renderInvite(root: HTMLElement, token: string): void {
  const join = h('button', { type: 'button', onclick: () => void accept() }, 'Join list');
  const notNow = h('button', { type: 'button', class: 'secondary', onclick: () => leave() }, 'Not now');
  const problem = h('p', { class: 'alert', role: 'alert', hidden: true });

  function leave(): void {
    forgetInvite();
    navigate('#/');
  }

  async function accept(): Promise<void> {
    join.disabled = true;
    try {
      const { data, error, response } = await authed(() => acceptInvitation(token));
      if (data) {
        forgetInvite();
        announceNext(`You joined “${data.data.name}” as ${withArticle(data.data.role)}.`);
        return navigate(listHash(data.data.id));
      }
      const { status, detail } = toProblem(error, response);
      problem.textContent =
        status === 404
          ? 'This invitation link cannot be used: it has expired, was used already or withdrawn, or the list was deleted. Ask for a new link.'
          : detail;
      problem.hidden = false;
      if (status === 404) forgetInvite();
    } finally {
      join.disabled = false;
    }
  }

  root.replaceChildren(
    h('header', {}, h('h1', {}, 'Taskwell')),
    h(
      'section',
      { 'aria-labelledby': 'invite-heading' },
      h('h2', { id: 'invite-heading' }, 'Join a shared list'),
      h('p', {}, 'You were invited to a list. Joining adds it to your lists, with the role the invitation gives.'),
      problem,
      h('div', { class: 'buttons' }, join, notNow),
    ),
  );
  join.focus();
}
