import { confirmDialog } from './confirm-dialog.js';
import { h, option } from './dom.js';
import {
  atLeast,
  changeRole,
  type ListRole,
  type Member,
  memberName,
  removeMember,
  type TaskList,
  withArticle,
} from './lists-api.js';
import { type Problem, toProblem } from './problem.js';
import { authed } from './session.js';
import { capitalize } from './task-form.js';

const RANK: ListRole[] = ['viewer', 'editor', 'admin', 'owner'];
const below = (a: ListRole, b: ListRole) => RANK.indexOf(a) < RANK.indexOf(b);

export interface MembersContext {
  list: TaskList;
  members: Member[];
  me: string;
  fail(problem: Problem): void;
  /** Members or roles changed: the page loads the list again and says `message`. */
  changed(message: string): void;
  /** The caller is leaving the list (the request is on its way): its own answer says how it went. */
  leaving(): void;
  /** The caller left the list. */
  left(): void;
}

/**
 * The members of a shared list with their roles. An admin changes and removes
 * members below them; only the owner grants or revokes `admin`; anyone but
 * the owner may leave. The API checks all of this again.
 */
export function membersPanel(context: MembersContext): HTMLElement {
  const { list, members, me } = context;
  const mine = list.role;

  /** What the caller may make of `member`'s role: the roles below their own, never owner. */
  function grantable(member: Member): ListRole[] {
    if (member.userId === me || !atLeast(mine, 'admin') || !below(member.role, mine)) return [];
    return mine === 'owner' ? ['admin', 'editor', 'viewer'] : ['editor', 'viewer'];
  }

  function row(member: Member): HTMLLIElement {
    const name = memberName(member);
    const who = h(
      'span',
      { class: 'member-name' },
      member.userId === me ? `${name} (you)` : name,
      member.email && member.name ? h('span', { class: 'meta' }, ` ${member.email}`) : false,
    );
    const roles = grantable(member);
    const controls: HTMLElement[] = [];
    if (roles.length > 0) {
      const select = h(
        'select',
        { 'aria-label': `Role of ${name}` },
        ...roles.map((role) => option(role, capitalize(role), role === member.role)),
      );
      select.addEventListener('change', () => void setRole(member, select.value as ListRole));
      controls.push(
        select,
        h(
          'button',
          { type: 'button', class: 'danger', 'aria-label': `Remove ${name}`, onclick: () => void remove(member) },
          'Remove',
        ),
      );
    } else {
      controls.push(h('span', { class: 'role' }, capitalize(member.role)));
    }
    if (member.userId === me && member.role !== 'owner') {
      controls.push(h('button', { type: 'button', class: 'danger', onclick: () => void leave() }, 'Leave list'));
    }
    return h('li', { class: 'member', 'data-user': member.userId }, who, h('span', { class: 'actions' }, ...controls));
  }

  async function setRole(member: Member, role: ListRole): Promise<void> {
    const { data, error, response } = await authed(() => changeRole(list.id, member.userId, role));
    if (!data) return context.fail(toProblem(error, response));
    context.changed(`${memberName(member)} is now ${withArticle(role)}.`);
  }

  async function remove(member: Member): Promise<void> {
    const name = memberName(member);
    if (!(await confirmDialog(`Remove ${name} from “${list.name}”? They lose access at once.`, 'Remove'))) return;
    const { error, response } = await authed(() => removeMember(list.id, member.userId));
    if (response?.status !== 204) return context.fail(toProblem(error, response));
    context.changed(`Removed ${name} from “${list.name}”.`);
  }

  async function leave(): Promise<void> {
    if (!(await confirmDialog(`Leave “${list.name}”? You will need a new invitation to come back.`, 'Leave'))) return;
    context.leaving();
    const { error, response } = await authed(() => removeMember(list.id, me));
    if (response?.status !== 204) return context.fail(toProblem(error, response));
    context.left();
  }

  return h(
    'section',
    { class: 'members', 'aria-labelledby': 'members-heading' },
    h('h3', { id: 'members-heading' }, `Members (${members.length})`),
    h('ul', { class: 'member-list', 'aria-labelledby': 'members-heading' }, ...members.map(row)),
  );
}
