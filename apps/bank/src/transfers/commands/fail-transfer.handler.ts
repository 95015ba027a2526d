import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDecider, type CommandResult } from '@strata/core';
import { transferDecider } from '../transfer.decider';
import { FailTransferCommand } from './fail-transfer.command';
import type { TransferHandle } from './transfer-handle';

/** Runs `FailTransferCommand` through the transfer decider. */
@CommandHandler(FailTransferCommand)
export class FailTransferHandler implements ICommandHandler<FailTransferCommand, CommandResult> {
  constructor(@InjectDecider(transferDecider) private readonly transfers: TransferHandle) {}

  execute({ transferId, reason, context }: FailTransferCommand): Promise<CommandResult> {
    return this.transfers.handle(transferId, { type: 'FailTransfer', transferId, reason }, context);
  }
}
