import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { StrataError } from '../errors/strata-error';
import { getDeciderToken } from '../module/decider-token';
import type { AggregateHandle } from './aggregate-handle';
import type { CommandResult } from './command-result';
import { DecideCommand } from './decide-command';

type AnyHandle = AggregateHandle<unknown, never, unknown>;

/**
 * The one handler behind every `DecideCommand`: it finds the decider's `AggregateHandle`
 * (registered by whichever feature module's `forFeature` names it) and hands it the command,
 * with its context (command id, If-Match, correlation, user) untouched.
 */
@Injectable()
@CommandHandler(DecideCommand)
export class DecideCommandHandler implements ICommandHandler<DecideCommand, CommandResult> {
  private readonly handles = new Map<string, AnyHandle>();

  constructor(private readonly moduleRef: ModuleRef) {}

  execute({ category, id, command, context }: DecideCommand): Promise<CommandResult> {
    return this.handleOf(category).handle(id, command, context);
  }

  private handleOf(category: string): AnyHandle {
    let handle = this.handles.get(category);
    if (handle === undefined) {
      try {
        handle = this.moduleRef.get<AnyHandle>(getDeciderToken({ category }), { strict: false });
      } catch {
        throw new StrataError(
          'UNKNOWN_DECIDER',
          `No decider with category '${category}' is registered, so its command cannot run. Add it to StrataModule.forFeature({ deciders: [...] }) in a module of this app.`,
        );
      }
      this.handles.set(category, handle);
    }
    return handle;
  }
}
