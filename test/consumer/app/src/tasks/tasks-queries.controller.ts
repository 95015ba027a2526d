import { Controller, Get, Param } from '@nestjs/common';
import { NotFoundError, ReadModels, ReadsCollections } from '@strata/core';
import { TASKS_COLLECTION, type TaskDocument } from './tasks.projection';

/** The task queries: read models only. With `X-Strata-Position`, a query waits for its projection first. */
@Controller('tasks')
export class TasksQueriesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get(':id')
  @ReadsCollections(TASKS_COLLECTION)
  async get(@Param('id') id: string): Promise<TaskDocument> {
    const task = await this.readModels.collection<TaskDocument>(TASKS_COLLECTION).findOne({ _id: id });
    if (!task) throw new NotFoundError('TASK_NOT_FOUND', `No task ${id}.`);
    return task;
  }
}
