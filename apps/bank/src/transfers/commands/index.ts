import { CompleteTransferHandler } from './complete-transfer.handler';
import { FailTransferHandler } from './fail-transfer.handler';
import { RequestTransferHandler } from './request-transfer.handler';

export { CompleteTransferCommand } from './complete-transfer.command';
export { FailTransferCommand } from './fail-transfer.command';
export { RequestTransferCommand } from './request-transfer.command';
export type { TransferHandle } from './transfer-handle';

/** Every transfer command handler, for the module's providers. */
export const CommandHandlers = [RequestTransferHandler, CompleteTransferHandler, FailTransferHandler];
