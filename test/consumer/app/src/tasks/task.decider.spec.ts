import { describe, it } from 'node:test';
import { DeciderSpecification } from '@strata/testing';
import { TaskAlreadyDoneError, taskDecider } from './task.decider';
import type { TaskAdded, TaskCompleted } from './task.events';

const taskId = 'task-1';
const added: TaskAdded = { type: 'TaskAdded', data: { taskId, title: 'Write the docs' } };
const completed: TaskCompleted = { type: 'TaskCompleted', data: { taskId } };
const spec = DeciderSpecification.for(taskDecider);

describe('taskDecider', () => {
  it('adds a task', () => {
    spec.given([]).when({ type: 'AddTask', taskId, title: 'Write the docs' }).then([added]);
  });

  it('completes an open task', () => {
    spec.given([added]).when({ type: 'CompleteTask', taskId }).then([completed]);
  });

  it('refuses to complete a task twice', () => {
    spec.given([added, completed]).when({ type: 'CompleteTask', taskId }).thenThrows(TaskAlreadyDoneError);
  });
});
