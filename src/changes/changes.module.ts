import { Module } from '@nestjs/common';
import { SqlModule } from '../database/sql.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { ChangeLogModule } from './change-log.module.js';
import { ChangesController } from './changes.controller.js';
import { ChangesPurge } from './changes-purge.js';
import { ChangesRepository } from './changes.repository.js';
import { ChangesService } from './changes.service.js';

/** The read side of the change log: the feed, the event streams, the retention purge. */
@Module({
  imports: [SqlModule, ListsModule, ChangeLogModule],
  controllers: [ChangesController],
  providers: [ChangesService, ChangesRepository, ChangesPurge],
})
export class ChangesModule {}
