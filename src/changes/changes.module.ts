import { Module } from '@nestjs/common';
import { SqlModule } from '../database/sql.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ChangeLogModule } from './change-log.module.js';
import { ChangesController } from './changes.controller.js';
import { ChangesPurge } from './changes-purge.js';
import { ChangesRepository } from './changes.repository.js';
import { ChangesService } from './changes.service.js';
import { EventStreams } from './event-streams.js';
import { EventsController } from './events.controller.js';

/** The read side of the change log: the feed, the event streams, the retention purge. */
@Module({
  imports: [SqlModule, ListsModule, TasksModule, ChangeLogModule],
  controllers: [ChangesController, EventsController],
  providers: [ChangesService, ChangesRepository, ChangesPurge, EventStreams],
  exports: [EventStreams],
})
export class ChangesModule {}
