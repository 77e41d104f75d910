import { field, h, option } from './dom.js';
import { createInvitation, type InvitationRole, type TaskList } from './lists-api.js';
import { showProblem, toProblem } from './problem.js';
import { inviteLink } from './router.js';
import { authed } from './session.js';

/**
 * "Share": makes an invitation link for a role (admin+; an `admin` link only
 * for the owner, as the API rules) and offers to copy it. The token is in the
 * link and is shown this once: the API keeps only its hash.
 */
export function openShareDialog(list: TaskList): void {
  const opener = document.activeElement as HTMLElement | null;
  const roles: InvitationRole[] = list.role === 'owner' ? ['viewer', 'editor', 'admin'] : ['viewer', 'editor'];
  const role = h('select', { name: 'role' }, ...roles.map((value) => option(value, label(value), value === 'editor')));
  const link = h('input', { name: 'link', readonly: true, autocomplete: 'off' });
  const copy = h('button', { type: 'button', onclick: () => void copyLink() }, 'Copy link');
  // The page's own status line is inert behind a modal dialog: the dialog has its own.
  const copied = h('p', { class: 'status', role: 'status' });
  const result = h(
    'div',
    { class: 'share-result', hidden: true },
    field('Invitation link', link, 'One person can join with it, within 7 days. It is shown only now.'),
    copy,
    copied,
  );
  const close = h('button', { type: 'button', class: 'secondary', onclick: () => done() }, 'Close');
  const form = h(
    'form',
    { 'aria-labelledby': 'share-heading', novalidate: true },
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    field('Role', role, 'Viewers read; editors also add and change tasks; admins also manage members.'),
    h('button', { type: 'submit' }, 'Create link'),
  );
  const dialog = h(
    'dialog',
    { class: 'share', 'aria-labelledby': 'share-heading' },
    h('h2', { id: 'share-heading' }, `Share “${list.name}”`),
    form,
    result,
    h('div', { class: 'buttons' }, close),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      const { data, error, response } = await authed(() => createInvitation(list.id, role.value as InvitationRole));
      if (!data) return showProblem(form, toProblem(error, response));
      link.value = inviteLink(data.data.token);
      result.hidden = false;
      link.focus();
      link.select();
    })();
  });

  async function copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(link.value);
    } catch {
      // No clipboard permission (or an insecure origin): the selection is the next best thing.
      link.select();
      document.execCommand('copy');
    }
    copied.textContent = 'Link copied.';
  }

  function done(): void {
    dialog.close();
    dialog.remove();
    opener?.focus();
  }
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    done();
  });
  document.body.append(dialog);
  dialog.showModal();
  role.focus();
}

function label(role: InvitationRole): string {
  return { viewer: 'Viewer', editor: 'Editor', admin: 'Admin' }[role];
}
