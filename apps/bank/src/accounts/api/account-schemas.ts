import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type CommandResponse, type Page } from '@strata/core';
import type { AccountView } from '../queries/account.view';
import type { TransactionView } from '../queries/transaction.view';

// The OpenAPI shapes of what the accounts endpoints answer. Each implements the type the code
// returns, so the document cannot drift from it.

/** What every account command answers. */
export class CommandResponseSchema implements CommandResponse {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ type: 'integer', description: "The account stream's revision after the command; also the ETag." }) readonly revision!: number;
  @ApiProperty({ description: 'Opaque; send it back as X-Strata-Position to read this write.' }) readonly position!: string;
}

export class AccountViewSchema implements AccountView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly owner!: string;
  @ApiProperty({ type: 'integer', description: 'Minor units.' }) readonly balance!: number;
  @ApiProperty({ enum: ['open', 'closed'] }) readonly status!: 'open' | 'closed';
  @ApiProperty({ type: 'integer' }) readonly revision!: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the account last changed (version 2 of the accounts read model).' }) readonly lastActivityAt?: string;
}

export class AccountPageSchema implements Page<AccountView> {
  @ApiProperty({ type: [AccountViewSchema] }) readonly items!: AccountViewSchema[];
  @ApiProperty({ type: String, nullable: true, description: "Send it back as 'cursor' for the next page; null on the last." }) readonly next!: string | null;
}

export class TransactionViewSchema implements TransactionView {
  @ApiProperty({ enum: ['deposit', 'withdrawal'] }) readonly type!: 'deposit' | 'withdrawal';
  @ApiProperty({ type: 'integer' }) readonly amount!: number;
  @ApiProperty({ type: 'integer' }) readonly balanceAfter!: number;
  @ApiProperty({ format: 'date-time' }) readonly at!: string;
  @ApiProperty() readonly position!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The transfer this is a leg of.' }) readonly transferId?: string;
}

export class TransactionPageSchema implements Page<TransactionView> {
  @ApiProperty({ type: [TransactionViewSchema] }) readonly items!: TransactionViewSchema[];
  @ApiProperty({ type: String, nullable: true }) readonly next!: string | null;
}
