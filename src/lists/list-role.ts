/** A member's role in a list, highest first. */
export type ListRole = 'owner' | 'admin' | 'editor' | 'viewer';

/** The roles an invitation may grant: ownership only moves by a transfer. */
export type InvitationRole = Exclude<ListRole, 'owner'>;
