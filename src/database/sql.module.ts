import { Module } from '@nestjs/common';
import { SqlRunner } from './sql-runner.js';

/** Import in a module whose repository runs hand-written SQL (`SqlRunner`). */
@Module({
  providers: [SqlRunner],
  exports: [SqlRunner],
})
export class SqlModule {}
