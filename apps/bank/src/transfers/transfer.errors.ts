import { DomainError, NotFoundError } from '@strata/core';

export class TransferNotFoundError extends NotFoundError {
  /** `hint` says what to do about it; commands and queries have different advice. */
  constructor(
    readonly transferId: string,
    hint = 'Request it with POST /transfers first.',
  ) {
    super('TRANSFER_NOT_FOUND', `Transfer '${transferId}' does not exist. ${hint}`);
  }
}

export class TransferAlreadyRequestedError extends DomainError {
  constructor(readonly transferId: string) {
    super('TRANSFER_ALREADY_REQUESTED', `Transfer '${transferId}' has already been requested; request a new one under another id.`);
  }
}

export class SameAccountTransferError extends DomainError {
  constructor(readonly accountId: string) {
    super('SAME_ACCOUNT_TRANSFER', `A transfer needs two different accounts, but both are '${accountId}'.`);
  }
}

export class TransferSettledError extends DomainError {
  constructor(
    readonly transferId: string,
    readonly status: 'completed' | 'failed',
  ) {
    super('TRANSFER_SETTLED', `Transfer '${transferId}' has already ${status}; it cannot be settled again the other way.`);
  }
}
