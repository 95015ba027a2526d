import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDecider, type CommandResult } from '@strata/core';
import { transferDecider } from '../transfer.decider';
import { CompleteTransferCommand } from './complete-transfer.command';
import type { TransferHandle } from './transfer-handle';

/** Runs `CompleteTransferCommand` through the transfer decider. */
@CommandHandler(CompleteTransferCommand)
export class CompleteTransferHandler implements ICommandHandler<CompleteTransferCommand, CommandResult> {
  constructor(@InjectDecider(transferDecider) private readonly transfers: TransferHandle) {}

  execute({ transferId, context }: CompleteTransferCommand): Promise<CommandResult> {
    return this.transfers.handle(transferId, { type: 'CompleteTransfer', transferId }, context);
  }
}
