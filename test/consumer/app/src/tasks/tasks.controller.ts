import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { AggregateHandle, CommandCtx, InjectDecider, type CommandContext } from '@strata/core';
import { AddTaskDto } from './add-task.dto';
import { taskDecider, type TaskCommand, type TaskState } from './task.decider';
import type { TaskEvent } from './task.events';

/** What a command answers: send `position` back as `X-Strata-Position` to read your own write. */
export interface CommandResponse {
  readonly id: string;
  readonly revision: string;
  readonly position: string;
}

/** The task commands over HTTP. */
@Controller('tasks')
export class TasksController {
  constructor(@InjectDecider(taskDecider) private readonly tasks: AggregateHandle<TaskCommand, TaskEvent, TaskState>) {}

  @Post()
  @HttpCode(201)
  async add(@Body() body: AddTaskDto, @CommandCtx() context: CommandContext): Promise<CommandResponse> {
    const taskId = randomUUID();
    const result = await this.tasks.handle(taskId, { type: 'AddTask', taskId, title: body.title }, context);
    return { id: taskId, revision: String(result.revision), position: result.position };
  }

  @Post(':id/complete')
  @HttpCode(200)
  async complete(@Param('id') taskId: string, @CommandCtx() context: CommandContext): Promise<CommandResponse> {
    const result = await this.tasks.handle(taskId, { type: 'CompleteTask', taskId }, context);
    return { id: taskId, revision: String(result.revision), position: result.position };
  }
}
