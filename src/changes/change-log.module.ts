import { Module } from '@nestjs/common';
import { SharedStateModule } from '../database/shared-state/shared-state.module.js';
import { SqlModule } from '../database/sql.module.js';
import { ChangeLog } from './change-log.js';
import { ChangeLogRepository } from './change-log.repository.js';
import { ChangeRetention } from './change-retention.js';
import { ChangeSignals } from './change-signals.js';

/**
 * The write side of the change log: import it in a module whose writes must
 * be recorded (tasks, lists) and call `ChangeLog.record`, or that must keep
 * changes from the purge (`ChangeRetention`). It knows no other module, so
 * the lists module can import it while the feed imports lists.
 */
@Module({
  imports: [SqlModule, SharedStateModule],
  providers: [ChangeLog, ChangeLogRepository, ChangeSignals, ChangeRetention],
  exports: [ChangeLog, ChangeSignals, ChangeRetention],
})
export class ChangeLogModule {}
