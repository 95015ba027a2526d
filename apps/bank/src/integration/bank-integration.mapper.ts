import { Injectable } from '@nestjs/common';
import { publish, type IntegrationMapper, type PublishedEvent } from '@strata/core';
import type { RecordedAccountEvent } from '../accounts/events/account.events';
import type { RecordedTransferEvent } from '../transfers/events/transfer.events';
import { AccountOpenedV1, MoneyMovedV1, TransferSettledV1 } from './bank.contracts';

/** The bank's domain events this mapper publishes; the publisher reads only these from the log. */
export const PUBLISHED_EVENT_TYPES = ['AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn', 'TransferCompleted', 'TransferFailed'];

/**
 * What the bank tells other services. Internal details (a refund flag, who requested a
 * transfer) stay inside; each message is keyed by its stream, so one account's movements
 * arrive in the order they happened.
 */
@Injectable()
export class BankIntegrationMapper implements IntegrationMapper {
  map(event: RecordedAccountEvent | RecordedTransferEvent): PublishedEvent | null {
    switch (event.type) {
      case 'AccountOpened':
        return publish(AccountOpenedV1, { accountId: event.data.accountId, owner: event.data.owner });
      case 'MoneyDeposited':
      case 'MoneyWithdrawn': {
        const { accountId, amount, transferId } = event.data;
        const direction = event.type === 'MoneyDeposited' ? 'in' : 'out';
        return publish(MoneyMovedV1, { accountId, direction, amount, ...(transferId === undefined ? {} : { transferId }) });
      }
      case 'TransferCompleted':
        return publish(TransferSettledV1, { transferId: event.data.transferId, outcome: 'completed' });
      case 'TransferFailed':
        return publish(TransferSettledV1, { transferId: event.data.transferId, outcome: 'failed', reason: event.data.reason });
      default:
        return null;
    }
  }
}
