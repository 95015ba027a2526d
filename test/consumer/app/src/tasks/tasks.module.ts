import { Module } from '@nestjs/common';
import { StrataModule } from '@strata/core';
import { taskDecider } from './task.decider';
import { TasksController } from './tasks.controller';
import { TasksProjection } from './tasks.projection';
import { TasksQueriesController } from './tasks-queries.controller';

/** Tasks: the decider, its projection, and both over HTTP. */
@Module({
  imports: [StrataModule.forFeature({ deciders: [taskDecider], projections: [TasksProjection] })],
  controllers: [TasksController, TasksQueriesController],
})
export class TasksModule {}
