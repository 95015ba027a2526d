import { integrationEvent } from '@strata/core';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Min } from 'class-validator';

// The bank's public contracts as this service reads them: only the fields it uses, checked on
// arrival. Fields the bank adds later are dropped, so the bank can add them without a new version.

export class AccountOpened {
  @IsUUID() accountId!: string;
  @IsString() owner!: string;
}
export const AccountOpenedV1 = integrationEvent('bank.account-opened', 1, AccountOpened);

export class MoneyMoved {
  @IsUUID() accountId!: string;
  @IsIn(['in', 'out']) direction!: 'in' | 'out';
  @IsInt() @Min(1) amount!: number;
  @IsOptional() @IsUUID() transferId?: string;
}
export const MoneyMovedV1 = integrationEvent('bank.money-moved', 1, MoneyMoved);

export class TransferSettled {
  @IsUUID() transferId!: string;
  @IsIn(['completed', 'failed']) outcome!: 'completed' | 'failed';
  @IsOptional() @IsString() reason?: string;
}
export const TransferSettledV1 = integrationEvent('bank.transfer-settled', 1, TransferSettled);

export type BankContract = typeof AccountOpenedV1 | typeof MoneyMovedV1 | typeof TransferSettledV1;
