import { CloseAccountHandler } from './close-account.handler';
import { DepositMoneyHandler } from './deposit-money.handler';
import { OpenAccountHandler } from './open-account.handler';
import { WithdrawMoneyHandler } from './withdraw-money.handler';

export { CloseAccountCommand } from './close-account.command';
export { DepositMoneyCommand } from './deposit-money.command';
export { OpenAccountCommand } from './open-account.command';
export { WithdrawMoneyCommand } from './withdraw-money.command';
export type { AccountHandle } from './account-handle';

/** Every account command handler, for the module's providers. */
export const CommandHandlers = [OpenAccountHandler, DepositMoneyHandler, WithdrawMoneyHandler, CloseAccountHandler];
