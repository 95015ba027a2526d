import type { Event, RecordedEvent } from '@strata/core';

export type TaskAdded = Event<'TaskAdded', { taskId: string; title: string }>;
export type TaskCompleted = Event<'TaskCompleted', { taskId: string }>;

/** Everything that can happen to a task. */
export type TaskEvent = TaskAdded | TaskCompleted;

/** One recorded task event, discriminated on `type`, so a `switch` narrows `data` as well. */
export type RecordedTaskEvent = {
  [T in TaskEvent['type']]: RecordedEvent<Extract<TaskEvent, { type: T }>>;
}[TaskEvent['type']];
