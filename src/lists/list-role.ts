/** A member's role in a list, highest first. */
export type ListRole = 'owner' | 'admin' | 'editor' | 'viewer';

/** The roles an invitation may grant: ownership only moves by a transfer. */
export const INVITATION_ROLES = ['admin', 'editor', 'viewer'] as const;
export type InvitationRole = (typeof INVITATION_ROLES)[number];

const RANK: Record<ListRole, number> = { owner: 4, admin: 3, editor: 2, viewer: 1 };

/** True when `role` is `required` or higher. */
export function atLeast(role: ListRole, required: ListRole): boolean {
  return RANK[role] >= RANK[required];
}

/** The higher of two roles (an invitation accepted by a member never lowers them). */
export function higher(a: ListRole, b: ListRole): ListRole {
  return RANK[a] >= RANK[b] ? a : b;
}
