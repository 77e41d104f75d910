import { Injectable } from '@nestjs/common';
import { ActiveSessions } from '../active-sessions.service.js';

/**
 * The session check for an identity provider's token: its identity is still
 * linked (deleting the account deletes its identities), with the same
 * caching and the same bound as our sessions.
 */
@Injectable()
export class ActiveIdentities extends ActiveSessions {
  protected override async load(identityId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(`SELECT 1 FROM user_identities WHERE id = $1 AND user_id = $2`, [
      identityId,
      userId,
    ]);
    return rows.length > 0;
  }
}
