import type { CommandContext, SagaCommand } from '@strata/core';
import { DepositMoneyCommand, WithdrawMoneyCommand } from '../../accounts/commands';
import { CompleteTransferCommand, FailTransferCommand } from '../commands';

/** The saga's commands as the data it stores in its outbox; `transferCommands` makes bus commands of them. */
type Leg = { readonly accountId: string; readonly amount: number; readonly transferId: string };
export type WithdrawLeg = Leg & { readonly requestedBy?: string };
export type DepositLeg = Leg & { readonly refund?: true };

export type TransferSagaCommand =
  | SagaCommand<'WithdrawMoney', WithdrawLeg>
  | SagaCommand<'DepositMoney', DepositLeg>
  | SagaCommand<'CompleteTransfer', { readonly transferId: string }>
  | SagaCommand<'FailTransfer', { readonly transferId: string; readonly reason: string }>;

/** `@Saga({ commands })` for the transfer saga: the engine's context (command id, correlation) goes through untouched. */
export const transferCommands = {
  WithdrawMoney: (data: WithdrawLeg, context: CommandContext) => new WithdrawMoneyCommand(data.accountId, data.amount, context, {
      transferId: data.transferId,
      ...(data.requestedBy === undefined ? {} : { requestedBy: data.requestedBy }),
    }),
  DepositMoney: (data: DepositLeg, context: CommandContext) =>
    new DepositMoneyCommand(data.accountId, data.amount, context, { transferId: data.transferId, refund: data.refund === true }),
  CompleteTransfer: (data: { transferId: string }, context: CommandContext) => new CompleteTransferCommand(data.transferId, context),
  FailTransfer: (data: { transferId: string; reason: string }, context: CommandContext) => new FailTransferCommand(data.transferId, data.reason, context),
};
