import { integrationEvent } from '@strata/core';
import { IsIn, IsInt, IsOptional, IsString, IsUUID } from 'class-validator';

/** `bank.account-opened` v1: an account exists, and who owns it. */
export class AccountOpenedData {
  @IsUUID() accountId!: string;
  @IsString() owner!: string;
}
export const AccountOpenedV1 = integrationEvent('bank.account-opened', 1, AccountOpenedData);

/** `bank.money-moved` v1: money came into an account or left it; `amount` is positive, `direction` says which way. */
export class MoneyMovedData {
  @IsUUID() accountId!: string;
  @IsIn(['in', 'out']) direction!: 'in' | 'out';
  @IsInt() amount!: number;
  /** Set when the movement is a leg (or a refund) of a transfer. */
  @IsOptional() @IsUUID() transferId?: string;
}
export const MoneyMovedV1 = integrationEvent('bank.money-moved', 1, MoneyMovedData);

/** `bank.transfer-settled` v1: a transfer completed, or failed (with the reason the client saw). */
export class TransferSettledData {
  @IsUUID() transferId!: string;
  @IsIn(['completed', 'failed']) outcome!: 'completed' | 'failed';
  @IsOptional() @IsString() reason?: string;
}
export const TransferSettledV1 = integrationEvent('bank.transfer-settled', 1, TransferSettledData);
