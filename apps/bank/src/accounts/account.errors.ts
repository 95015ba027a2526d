import { DomainError, ForbiddenError, NotFoundError } from '@strata/core';

export class AccountNotFoundError extends NotFoundError {
  /** `hint` says what to do about it; commands and queries have different advice. */
  constructor(
    readonly accountId: string,
    hint = 'Open it with POST /accounts first.',
  ) {
    super('ACCOUNT_NOT_FOUND', `Account '${accountId}' does not exist. ${hint}`);
  }
}

export class AccountAlreadyOpenError extends DomainError {
  constructor(readonly accountId: string) {
    super('ACCOUNT_ALREADY_OPEN', `Account '${accountId}' is already open.`);
  }
}

export class AccountClosedError extends DomainError {
  constructor(readonly accountId: string) {
    super('ACCOUNT_CLOSED', `Account '${accountId}' is closed; it takes no more deposits, withdrawals or closing.`);
  }
}

export class InsufficientFundsError extends DomainError {
  constructor(
    readonly accountId: string,
    readonly balance: number,
    readonly amount: number,
  ) {
    super(
      'INSUFFICIENT_FUNDS',
      `Account '${accountId}' holds ${balance}, less than the ${amount} requested. Withdraw at most ${balance}.`,
    );
  }
}

export class BalanceNotZeroError extends DomainError {
  constructor(
    readonly accountId: string,
    readonly balance: number,
  ) {
    super('BALANCE_NOT_ZERO', `Account '${accountId}' still holds ${balance}; withdraw it all before closing.`);
  }
}

export class BalanceLimitError extends DomainError {
  constructor(
    readonly accountId: string,
    readonly balance: number,
    readonly amount: number,
  ) {
    super(
      'BALANCE_LIMIT',
      `Depositing ${amount} would take account '${accountId}' past the largest balance it can hold (${Number.MAX_SAFE_INTEGER}).`,
    );
  }
}

export class InvalidAmountError extends DomainError {
  constructor(readonly amount: number) {
    super('INVALID_AMOUNT', `An amount must be a whole number of minor units above 0; got ${amount}.`);
  }
}

/** With auth on, an account is opened for the token subject only. */
export class OwnerMismatchError extends ForbiddenError {
  constructor(owner: string, subject: string) {
    super('OWNER_MISMATCH', `Accounts are opened for the token subject ('${subject}'), not for '${owner}'. Leave 'owner' out, or send your own.`);
  }
}
