import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDecider, type CommandResult } from '@strata/core';
import { transferDecider } from '../transfer.decider';
import { RequestTransferCommand } from './request-transfer.command';
import type { TransferHandle } from './transfer-handle';

/** Runs `RequestTransferCommand` through the transfer decider. */
@CommandHandler(RequestTransferCommand)
export class RequestTransferHandler implements ICommandHandler<RequestTransferCommand, CommandResult> {
  constructor(@InjectDecider(transferDecider) private readonly transfers: TransferHandle) {}

  execute(command: RequestTransferCommand): Promise<CommandResult> {
    const { transferId, from, to, amount, context } = command;
    const requestedBy = context.user === undefined ? {} : { requestedBy: context.user };
    return this.transfers.handle(transferId, { type: 'RequestTransfer', transferId, from, to, amount, ...requestedBy }, context);
  }
}
