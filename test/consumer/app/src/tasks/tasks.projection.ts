import { Projection, type ProjectionContext, type ProjectionHandler } from '@strata/core';
import type { RecordedTaskEvent, TaskEvent } from './task.events';

export const TASKS_COLLECTION = 'tasks';

/** One task as the read model holds it. */
export interface TaskDocument {
  readonly _id: string;
  readonly title: string;
  readonly done: boolean;
}

/** Keeps one document per task. */
@Projection({ name: 'tasks', version: 1, events: ['TaskAdded', 'TaskCompleted'], collections: { [TASKS_COLLECTION]: {} } })
export class TasksProjection implements ProjectionHandler<TaskEvent> {
  async handle(event: RecordedTaskEvent, ctx: ProjectionContext): Promise<void> {
    const tasks = ctx.collection<TaskDocument>(TASKS_COLLECTION);
    switch (event.type) {
      case 'TaskAdded':
        await tasks.replaceOne({ _id: event.data.taskId }, { title: event.data.title, done: false }, { upsert: true });
        return;
      case 'TaskCompleted':
        await tasks.updateOne({ _id: event.data.taskId }, { $set: { done: true } });
        return;
    }
  }
}
