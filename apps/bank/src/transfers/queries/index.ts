import { GetTransferHandler } from './get-transfer.handler';

export { TransfersQueriesController } from './transfers-queries.controller';
export { GetTransferQuery } from './get-transfer.query';
export type { TransferView } from './transfer.view';

/** Every transfer query handler, for the module's providers. */
export const QueryHandlers = [GetTransferHandler];
