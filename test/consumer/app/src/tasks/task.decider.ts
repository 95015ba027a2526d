import { DomainError, NotFoundError, type Decider } from '@strata/core';
import type { TaskEvent } from './task.events';

export type TaskCommand =
  | { readonly type: 'AddTask'; readonly taskId: string; readonly title: string }
  | { readonly type: 'CompleteTask'; readonly taskId: string };

export interface TaskState {
  readonly status: 'none' | 'open' | 'done';
}

/** A task is completed once (HTTP 422 on the second time). */
export class TaskAlreadyDoneError extends DomainError {
  constructor(readonly taskId: string) {
    super('TASK_ALREADY_DONE', `Task ${taskId} is already done.`);
  }
}

/** A task: added with a title, then completed once. */
export const taskDecider: Decider<TaskCommand, TaskEvent, TaskState> = {
  category: 'Task',
  initialState: () => ({ status: 'none' }),
  evolve: (_state, event) => ({ status: event.type === 'TaskAdded' ? 'open' : 'done' }),
  decide(command, state) {
    switch (command.type) {
      case 'AddTask':
        return state.status === 'none' ? [{ type: 'TaskAdded', data: { taskId: command.taskId, title: command.title } }] : [];
      case 'CompleteTask':
        if (state.status === 'none') throw new NotFoundError('TASK_NOT_FOUND', `No task ${command.taskId}.`);
        if (state.status === 'done') throw new TaskAlreadyDoneError(command.taskId);
        return [{ type: 'TaskCompleted', data: { taskId: command.taskId } }];
    }
  },
};
