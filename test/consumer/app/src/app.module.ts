import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { StrataModule } from '@strata/core';
import { sqliteAdapter } from '@strata/sqlite';
import { TasksModule } from './tasks/tasks.module';

/** The service: Strata on the embedded SQLite store (STRATA_DATA_DIR), and its one feature. */
@Module({
  imports: [CqrsModule.forRoot(), StrataModule.forRoot({ adapters: [sqliteAdapter()] }), TasksModule],
})
export class AppModule {}
