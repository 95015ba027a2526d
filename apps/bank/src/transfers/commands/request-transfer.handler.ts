import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDecider, type AggregateHandleOf, type CommandResult } from '@strata/core';
import { transferDecider } from '../transfer.decider';
import { RequestTransferCommand } from './request-transfer.command';

/**
 * Runs `RequestTransferCommand` through the transfer decider. Written by hand to show that an
 * ordinary `@nestjs/cqrs` handler works beside `CommandSender`: it is the place for work a
 * decider should not do, here turning the request's user into the transfer's requester.
 */
@CommandHandler(RequestTransferCommand)
export class RequestTransferHandler implements ICommandHandler<RequestTransferCommand, CommandResult> {
  constructor(@InjectDecider(transferDecider) private readonly transfers: AggregateHandleOf<typeof transferDecider>) {}

  execute(command: RequestTransferCommand): Promise<CommandResult> {
    const { transferId, from, to, amount, context } = command;
    const requestedBy = context.user === undefined ? {} : { requestedBy: context.user };
    return this.transfers.handle(transferId, { type: 'RequestTransfer', transferId, from, to, amount, ...requestedBy }, context);
  }
}
