import { Injectable, Optional } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AnyDecider, CommandOf } from '../decider/decider-types';
import { StrataError } from '../errors/strata-error';
import type { CommandContext } from './command-context';
import type { CommandResult } from './command-result';
import { DecideCommand } from './decide-command';

/**
 * Sends a decider's command straight from an endpoint (or any provider): no Command class and
 * no handler to write. It goes through the `CommandBus` as a `DecideCommand`, so bus
 * middleware sees it, and the context keeps idempotency (`commandId`), If-Match
 * (`expectedRevision`), correlation and the user.
 */
@Injectable()
export class CommandSender {
  constructor(@Optional() private readonly commandBus?: CommandBus) {}

  /** Loads entity `id` of `decider`, decides `command`, appends the events; the command is checked against the decider's union. */
  async send<D extends AnyDecider>(decider: D, id: string, command: CommandOf<D>, context: CommandContext = {}): Promise<CommandResult> {
    if (!this.commandBus) {
      throw new StrataError('CQRS_MODULE_MISSING', 'CommandSender sends through the CommandBus: import CqrsModule.forRoot() in the app module.');
    }
    return this.commandBus.execute(new DecideCommand(decider.category, id, command, context));
  }
}
