import { RequestTransferHandler } from './request-transfer.handler';

export { RequestTransferCommand } from './request-transfer.command';

/**
 * The transfer's hand-written command handlers, for the module's providers. The other transfer
 * commands (complete, fail) are sent straight to the decider by the saga, with no handler.
 */
export const CommandHandlers = [RequestTransferHandler];
